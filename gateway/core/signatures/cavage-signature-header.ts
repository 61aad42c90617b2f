/**
 * The draft-cavage-http-signatures-12 §4.1 `Signature` header:
 * `keyId="…",algorithm="…",headers="…",signature="…"` (optionally `created=…,expires=…`).
 */

export interface CavageSignatureParams {
  readonly keyId: string;
  readonly algorithm: string | undefined;
  /** Lower-cased names from `headers`; cavage-12 defaults to `(created)`, older drafts to `date`. */
  readonly headers: readonly string[];
  readonly signature: string;
  readonly created: number | undefined;
  readonly expires: number | undefined;
}

export type CavageHeaderResult =
  | { readonly ok: true; readonly value: CavageSignatureParams }
  | { readonly ok: false; readonly message: string };

const PARAM = /\s*([A-Za-z]+)\s*=\s*(?:"([^"]*)"|(\d+))\s*(?:,|$)/y;

export function parseCavageSignature(text: string): CavageHeaderResult {
  const found = new Map<string, string>();
  PARAM.lastIndex = 0;
  while (PARAM.lastIndex < text.length) {
    const at = PARAM.lastIndex;
    const match = PARAM.exec(text);
    if (match === null) return { ok: false, message: `Signature is unparsable at offset ${at}` };
    const [, name = '', quoted, number] = match;
    if (found.has(name)) return { ok: false, message: `Signature repeats "${name}"` };
    found.set(name, quoted ?? number ?? '');
  }
  const keyId = found.get('keyId');
  const signature = found.get('signature');
  if (keyId === undefined || keyId === '') return { ok: false, message: 'Signature has no keyId' };
  if (signature === undefined || signature === '') {
    return { ok: false, message: 'Signature has no signature value' };
  }
  const headerList = found.get('headers');
  return {
    ok: true,
    value: {
      keyId,
      algorithm: found.get('algorithm'),
      headers: (headerList ?? 'date')
        .toLowerCase()
        .split(/\s+/)
        .filter((name) => name !== ''),
      signature,
      created: integerParam(found.get('created')),
      expires: integerParam(found.get('expires')),
    },
  };
}

export function formatCavageSignature(params: {
  keyId: string;
  algorithm: string;
  headers: readonly string[];
  signature: string;
}): string {
  return (
    `keyId="${params.keyId}",algorithm="${params.algorithm}",` +
    `headers="${params.headers.join(' ')}",signature="${params.signature}"`
  );
}

function integerParam(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}
