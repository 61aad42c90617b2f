/**
 * The host a request claims to come from, read from its signature's key id before anything is
 * verified (RFC 9421 `Signature-Input` keyid, preferring the `ocm` label; draft-cavage `Signature`
 * keyId). A claim only: good for rate-limit keys and an early policy refusal, never for trust.
 */
import { parseCavageSignature } from '../signatures/cavage-signature-header.ts';
import { hostOfKeyId } from '../signatures/key-id-host.ts';
import { isSfInnerList, parseSfDictionary } from '../signatures/structured-field.ts';
import { parsePeerHost } from './host-pattern.ts';

type HeaderValue = string | readonly string[] | undefined;

/** Canonical `host[:port]` of the signing key, or undefined when there is no usable key id. */
export function claimedPeerHost(
  headers: Readonly<Record<string, HeaderValue>>,
): string | undefined {
  const keyId = rfc9421KeyId(joined(headers['signature-input'])) ?? cavageKeyId(headers.signature);
  if (keyId === undefined) return undefined;
  const hostText = hostOfKeyId(keyId);
  const peer = hostText === undefined ? undefined : parsePeerHost(hostText);
  if (peer === undefined) return undefined;
  return peer.port === undefined ? peer.host : `${peer.host}:${peer.port}`;
}

function rfc9421KeyId(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const dictionary = parseSfDictionary(text);
  if (dictionary === undefined) return undefined;
  const member = dictionary.get('ocm') ?? dictionary.values().next().value;
  if (!isSfInnerList(member)) return undefined;
  const keyId = member[1].get('keyid');
  return typeof keyId === 'string' && keyId !== '' ? keyId : undefined;
}

function cavageKeyId(value: HeaderValue): string | undefined {
  // Two Signature headers are ambiguous; the verifier refuses them, the claim ignores them.
  if (value === undefined || (typeof value !== 'string' && value.length !== 1)) return undefined;
  const text = typeof value === 'string' ? value : (value[0] ?? '');
  const parsed = parseCavageSignature(text);
  return parsed.ok ? parsed.value.keyId : undefined;
}

function joined(value: HeaderValue): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}
