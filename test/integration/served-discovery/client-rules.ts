/**
 * How each kind of client accepts a discovery document, one predicate per client, written from
 * reference/ocm-versions.md §2 and reference/legacy-protocols.md §1.10, §2.3–2.4 (independently of
 * the gateway's code). Each returns the reasons a client would refuse the document ([] = accepted).
 */

export interface RuleContext {
  /** Host[:port] the client discovered (the public URL's authority). */
  readonly discoveryHost: string;
  /** Path prefix of the sharer's base URL ('' at the root): Nextcloud 28+ prefixes WebDAV with it. */
  readonly basePath: string;
  /** The JWKS at /.well-known/jwks.json, for I-D-05 peers. */
  readonly jwks?: unknown;
}

export interface ClientRule {
  readonly client: string;
  /** The path this client GETs. */
  readonly asks: '/ocm-provider/' | '/ocm-provider' | '/.well-known/ocm';
  readonly check: (doc: unknown, context: RuleContext) => string[];
}

type Doc = Record<string, unknown>;

function asDoc(doc: unknown): Doc {
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Doc) : {};
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** PHP json_decode($body, true, 8): arrays/objects nested deeper than 8 fail to decode. */
function jsonDepth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value as Doc);
  return 1 + Math.max(0, ...children.map(jsonDepth));
}

function fileWebdav(list: unknown): unknown {
  if (!Array.isArray(list)) return undefined;
  for (const entry of list as unknown[]) {
    const e = asDoc(entry);
    if (e.name === 'file') return asDoc(e.protocols).webdav;
  }
  return undefined;
}

function hostOfUrl(value: unknown): string | undefined {
  try {
    return typeof value === 'string' ? new URL(value).host : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 9421 keyid as OCM writes it: `host#kid` (or a URL). */
function hostOfKeyId(keyId: unknown): string | undefined {
  if (typeof keyId !== 'string') return undefined;
  return hostOfUrl(keyId) ?? keyId.split('#', 1)[0];
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** legacy-protocols §2.4: OCM only if `endPoint` and apiVersion === "1.0-proposal1" exactly. */
const nextcloud14to27: ClientRule = {
  client: 'Nextcloud 14–27',
  asks: '/ocm-provider/',
  check: (raw) => {
    const d = asDoc(raw);
    const why: string[] = [];
    if (!nonEmpty(d.endPoint)) why.push('no endPoint');
    if (d.apiVersion !== '1.0-proposal1') why.push(`apiVersion ${String(d.apiVersion)}`);
    return why;
  },
};

/** ocm-versions §2.1, legacy-protocols §1.10 + §2.4: version cut at the second dot, WebDAV path. */
const nextcloud28to30: ClientRule = {
  client: 'Nextcloud 28–30',
  asks: '/ocm-provider/',
  check: (raw, context) => {
    const d = asDoc(raw);
    const why: string[] = [];
    if (jsonDepth(raw) > 8) why.push('nested deeper than json_decode depth 8');
    if (!nonEmpty(d.apiVersion)) why.push('no apiVersion');
    if (!nonEmpty(d.endPoint)) why.push('no endPoint');
    const version = String(d.apiVersion);
    const dot1 = version.indexOf('.');
    const dot2 = dot1 < 0 ? -1 : version.indexOf('.', dot1 + 1);
    const cut = dot2 > 0 ? version.slice(0, dot2) : version;
    if (!['1.0-proposal1', '1.0', '1.1'].includes(cut)) why.push(`apiVersion ${version}`);
    const webdav = fileWebdav(d.resourceTypes);
    if (typeof webdav !== 'string') why.push('no string resourceTypes[file].protocols.webdav');
    else if (!webdav.startsWith(`${context.basePath}/`)) why.push(`webdav ${webdav} gets prefixed`);
    return why;
  },
};

/** legacy-protocols §2.4: `enabled === true`; 10.1–10.7 read the WebDAV path from `shareTypes` only. */
const owncloud10early: ClientRule = {
  client: 'ownCloud 10.1–10.7',
  asks: '/ocm-provider/',
  check: (raw, context) => {
    const d = asDoc(raw);
    const why: string[] = [];
    if (d.enabled !== true) why.push('enabled is not true');
    if (!nonEmpty(d.endPoint)) why.push('no endPoint');
    const webdav = fileWebdav(d.shareTypes);
    if (typeof webdav !== 'string') why.push('no shareTypes[file].protocols.webdav');
    // The path is appended to the sharer's base URL, which already has the sub-path.
    else if (context.basePath !== '' && webdav.startsWith(`${context.basePath}/`))
      why.push('webdav repeats the base path');
    return why;
  },
};

/** OCM v1.1 (ocm-versions §2.2): required fields, `file` with `user`, `/notifications` capability. */
const ocm11: ClientRule = {
  client: 'OCM 1.1 peer',
  asks: '/ocm-provider',
  check: (raw) => {
    const d = asDoc(raw);
    const why: string[] = [];
    if (typeof d.enabled !== 'boolean') why.push('enabled not boolean');
    if (!nonEmpty(d.apiVersion)) why.push('no apiVersion');
    if (hostOfUrl(d.endPoint) === undefined) why.push('endPoint not a URI');
    const file = (Array.isArray(d.resourceTypes) ? (d.resourceTypes as unknown[]) : [])
      .map(asDoc)
      .find((rt) => rt.name === 'file');
    if (file === undefined) why.push('no file resource type');
    else {
      if (!list(file.shareTypes).includes('user')) why.push('file without user share type');
      for (const [key, value] of Object.entries(asDoc(file.protocols))) {
        if (typeof value !== 'string') why.push(`protocol ${key} not a string`);
      }
    }
    if (!list(d.capabilities).includes('/notifications')) why.push('no /notifications capability');
    return why;
  },
};

/** pre-1.2 → 1.2.2 (ocm-versions §2.2, §9.1): "1." prefix, publicKeys with http-sig, cavage key. */
const ocm12: ClientRule = {
  client: 'OCM 1.2-era peer',
  asks: '/.well-known/ocm',
  check: (raw, context) => {
    const d = asDoc(raw);
    const why: string[] = [];
    if (d.enabled !== true) why.push('not enabled');
    if (typeof d.apiVersion !== 'string' || !d.apiVersion.startsWith('1.'))
      why.push('apiVersion does not start with "1."');
    if (hostOfUrl(d.endPoint) === undefined) why.push('endPoint not a URI');
    if (typeof fileWebdav(d.resourceTypes) !== 'string') why.push('no file webdav path');
    const capabilities = list(d.capabilities);
    if (capabilities.includes('http-sig')) {
      const keys = Array.isArray(d.publicKeys) ? (d.publicKeys as unknown[]).map(asDoc) : [];
      if (keys.length === 0) why.push('http-sig without publicKeys');
      for (const key of keys) {
        if (hostOfKeyId(key.keyId) !== context.discoveryHost) why.push('publicKeys keyId host');
        if (!nonEmpty(key.publicKeyPem) || !nonEmpty(key.algorithm)) why.push('publicKeys entry');
      }
    }
    if (capabilities.includes('exchange-token') && hostOfUrl(d.tokenEndPoint) === undefined)
      why.push('exchange-token without tokenEndPoint');
    const cavage = asDoc(d.publicKey);
    if (hostOfUrl(cavage.keyId) !== context.discoveryHost) why.push('no cavage publicKey.keyId');
    if (!nonEmpty(cavage.publicKeyPem)) why.push('no cavage publicKeyPem');
    return why;
  },
};

/** I-D-05 (ocm-versions §2.1, §2.2, §9.2): `1.x`, unique names, JWKS kid = keyid on our host. */
const ietfDraft: ClientRule = {
  client: 'I-D-05 peer',
  asks: '/.well-known/ocm',
  check: (raw, context) => {
    const d = asDoc(raw);
    const why: string[] = [];
    if (d.enabled !== true) why.push('not enabled');
    if (typeof d.apiVersion !== 'string' || !/^1\./.test(d.apiVersion)) why.push('apiVersion');
    if (hostOfUrl(d.endPoint) === undefined) why.push('endPoint not a URI');
    const names = (Array.isArray(d.resourceTypes) ? (d.resourceTypes as unknown[]) : [])
      .map(asDoc)
      .map((rt) => rt.name);
    if (new Set(names).size !== names.length) why.push('resource type names repeat');
    if (typeof fileWebdav(d.resourceTypes) !== 'string') why.push('no file webdav path');
    const capabilities = list(d.capabilities);
    if (capabilities.includes('exchange-token') && hostOfUrl(d.tokenEndPoint) === undefined)
      why.push('exchange-token without tokenEndPoint');
    if (
      list(d.criteria).includes('must-exchange-token') &&
      !capabilities.includes('exchange-token')
    )
      why.push('must-exchange-token without exchange-token');
    if (capabilities.includes('http-sig')) {
      const keys = Array.isArray(asDoc(context.jwks).keys)
        ? (asDoc(context.jwks).keys as unknown[]).map(asDoc)
        : [];
      if (keys.length === 0) why.push('http-sig without a JWKS');
      for (const key of keys) {
        if (hostOfKeyId(key.kid) !== context.discoveryHost) why.push(`kid ${String(key.kid)}`);
      }
    }
    return why;
  },
};

/** Newest Nextcloud: `/.well-known/ocm` first, json_decode depth 8, apiVersion and endPoint set. */
const nextcloudNewest: ClientRule = {
  client: 'Nextcloud 33',
  asks: '/.well-known/ocm',
  check: (raw) => {
    const d = asDoc(raw);
    const why: string[] = [];
    if (jsonDepth(raw) > 8) why.push('nested deeper than json_decode depth 8');
    if (!nonEmpty(d.apiVersion) || !nonEmpty(d.endPoint)) why.push('apiVersion/endPoint empty');
    if (typeof fileWebdav(d.resourceTypes) !== 'string') why.push('webdav is not a string');
    return why;
  },
};

export const CLIENT_RULES: readonly ClientRule[] = [
  nextcloud14to27,
  nextcloud28to30,
  owncloud10early,
  ocm11,
  ocm12,
  ietfDraft,
  nextcloudNewest,
];
