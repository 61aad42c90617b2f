/** How a simulated OCM peer signs what it sends and authenticates what it receives, per version:
 * 1.0/1.1 nothing, 1.2 draft-cavage (keys via discovery), 1.3 RFC 9421 (keys via JWKS). */
import { contentDigest, legacyDigest } from './body-digest.ts';
import { signCavage, verifyCavage } from './cavage-signature.ts';
import { signRfc9421, verifyRfc9421 } from './message-signature.ts';
import { requiresSignatures, type OcmPeerContext } from './ocm-peer-context.ts';
import { resolveCavageKey, resolveJwksKey } from './ocm-peer-discovery.ts';
import type { SimRequest } from '../common/sim-http-server.ts';

/** Headers for an outgoing POST of `body` to `url`, signed as this version does. */
export function signedHeaders(
  ctx: OcmPeerContext,
  url: string,
  body: string,
  contentType: string,
): Record<string, string> {
  const target = new URL(url);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    date: new Date(ctx.now()).toUTCString(),
  };
  if (ctx.keys.cavage !== undefined) {
    const alg = ctx.options.cavageAlgorithm ?? 'rsa-sha256';
    headers.digest = legacyDigest(body, alg === 'rsa-sha512' ? 'SHA-512' : 'SHA-256');
    headers.host = target.host;
    headers.signature = signCavage(
      { method: 'POST', target: target.pathname + target.search, headers },
      { keyId: ctx.keys.cavage.keyId, privateKey: ctx.keys.cavage.privateKey, alg },
    );
  } else if (ctx.keys.jwk !== undefined) {
    headers['content-digest'] = contentDigest(body);
    const sig = signRfc9421(
      { method: 'POST', url, headers },
      {
        keyId: ctx.keys.jwk.kid,
        privateKey: ctx.keys.jwk.privateKey,
        alg: ctx.options.keyType ?? 'ed25519',
        created: Math.floor(ctx.now() / 1000),
      },
    );
    headers['signature-input'] = sig.signatureInput;
    headers.signature = sig.signature;
  }
  return headers;
}

export type InboundAuth =
  | { signed: false }
  | { signed: true; host: string; keyId: string }
  | { refused: { status: number; message: string } };

function remember(ctx: OcmPeerContext, signature: string): boolean {
  const now = ctx.now();
  for (const [k, exp] of ctx.seenSignatures) if (exp < now) ctx.seenSignatures.delete(k);
  if (ctx.seenSignatures.has(signature)) return false;
  ctx.seenSignatures.set(signature, now + (ctx.options.signatureMaxAgeSeconds ?? 300) * 1000);
  return true;
}

function keyidHost(keyid: string): string {
  const noFragment = keyid.split('#')[0] ?? '';
  try {
    return /^https?:\/\//.test(noFragment) ? new URL(noFragment).host : noFragment;
  } catch {
    return '';
  }
}

/**
 * Authenticates an inbound request. `senderDomain` (the FQDN of a share's `sender`) is where 1.3
 * looks the key up; without it, the keyid's host is used (notifications, token, invites).
 */
export async function authenticate(
  ctx: OcmPeerContext,
  req: SimRequest,
  senderDomain?: string,
): Promise<InboundAuth> {
  const maxAge = ctx.options.signatureMaxAgeSeconds ?? 300;
  const mustSign = requiresSignatures(ctx);
  if (ctx.traits.signing === 'cavage') {
    if (req.headers.signature === undefined) {
      return mustSign
        ? { refused: { status: 401, message: 'This server requires signed requests' } }
        : { signed: false };
    }
    const r = await verifyCavage(
      { method: req.method, target: req.target, headers: req.headers },
      {
        now: ctx.now(),
        maxAgeSeconds: maxAge,
        body: req.rawBody,
        resolveKey: (k) => resolveCavageKey(ctx, k),
      },
    );
    if (!r.ok) return { refused: { status: 401, message: `Invalid signature: ${r.reason}` } };
    if (req.headers.host !== ctx.host())
      return { refused: { status: 401, message: 'Signed host is not this server' } };
    if (ctx.options.rejectReplays === true && !remember(ctx, r.signature)) {
      return { refused: { status: 401, message: 'Replayed signature' } };
    }
    return { signed: true, host: new URL(r.keyId).host, keyId: r.keyId };
  }
  if (ctx.traits.signing === 'rfc9421') {
    if (req.headers['signature-input'] === undefined && req.headers.signature === undefined) {
      return mustSign
        ? { refused: { status: 401, message: 'Unsigned request refused: must-use-http-sig' } }
        : { signed: false };
    }
    const url = `${new URL(ctx.origin()).protocol}//${req.headers.host ?? ''}${req.target}`;
    const r = await verifyRfc9421(
      { method: req.method, url, headers: req.headers },
      {
        now: Math.floor(ctx.now() / 1000),
        maxAgeSeconds: maxAge,
        maxFutureSkewSeconds: 60,
        body: req.rawBody,
        resolveKey: async (keyid) => {
          const domain = senderDomain ?? keyidHost(keyid);
          if (keyidHost(keyid) !== domain) return undefined;
          return resolveJwksKey(ctx, domain, keyid);
        },
      },
    );
    if (!r.ok) return { refused: { status: 401, message: `Invalid signature: ${r.reason}` } };
    // `date` is covered to bind clock time: hold it to the same window as `created`.
    const date = Date.parse(req.headers.date ?? '');
    if (Number.isNaN(date) || Math.abs(ctx.now() - date) > maxAge * 1000) {
      return {
        refused: { status: 401, message: 'Invalid signature: date outside the allowed window' },
      };
    }
    if (ctx.options.rejectReplays === true && !remember(ctx, r.signature)) {
      return { refused: { status: 401, message: 'Replayed signature' } };
    }
    return { signed: true, host: keyidHost(r.keyid), keyId: r.keyid };
  }
  return { signed: false };
}
