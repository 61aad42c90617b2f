/**
 * What a peer's request says about the share it is for, read before any backend sees it, so an
 * organisation edge can hand it to the backend that holds the share (backend-router.ts): the
 * providerId of a notification, the code of a token request, the credential of a WebDAV read.
 * Nothing here is trusted: a clue only chooses a backend, whose app then authenticates as always.
 */
import { readPublicWebdavAuth } from '../../core/dialects/ocs-common/public-webdav-auth.ts';
import { normalisePeerHost } from '../../core/facade/index.ts';
import type { ShareClue } from '../../services/share-owner-check.ts';

const MAX_CLUE_LENGTH = 4096;

/** A JSON object body, or undefined (not JSON, not an object). */
export function jsonObjectOf(body: Buffer | undefined): Record<string, unknown> | undefined {
  if (body === undefined || body.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A notification: its providerId, the host its signature claims, its secret if it has one. */
export function notificationClue(
  body: Record<string, unknown> | undefined,
  claimedHost: string | undefined,
): ShareClue | undefined {
  const raw = body?.providerId;
  const providerId = typeof raw === 'number' ? String(raw) : raw;
  if (typeof providerId !== 'string' || providerId === '' || providerId.length > 255) {
    return undefined;
  }
  const inner = body?.notification;
  const secret =
    inner !== null && typeof inner === 'object'
      ? (inner as { sharedSecret?: unknown }).sharedSecret
      : undefined;
  const host = claimedHost === undefined ? undefined : normalisePeerHost(claimedHost);
  return {
    kind: 'notification',
    query: {
      providerId,
      hosts: host?.ok === true ? [host.value] : [],
      secret: typeof secret === 'string' && secret.length <= MAX_CLUE_LENGTH ? secret : undefined,
    },
  };
}

/** A token request's `code`, from a form (RFC 6749) or a JSON body (OCM 1.2 drafts). */
export function tokenClue(
  body: Buffer | undefined,
  contentType: string | undefined,
): ShareClue | undefined {
  if (body === undefined || body.length === 0 || body.length > MAX_CLUE_LENGTH) return undefined;
  const code = /json/i.test(contentType ?? '')
    ? jsonObjectOf(body)?.code
    : new URLSearchParams(body.toString('utf8')).get('code');
  return typeof code === 'string' && code !== '' ? { kind: 'secret', secret: code } : undefined;
}

/** A peer's WebDAV read: a Bearer credential, or the share token as Basic user (legacy). */
export function webdavClue(authorization: string | undefined): ShareClue | undefined {
  if (authorization === undefined || authorization.length > MAX_CLUE_LENGTH) return undefined;
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1];
  if (bearer !== undefined) return { kind: 'bearer', credential: bearer };
  const basic = readPublicWebdavAuth(authorization);
  return basic === undefined ? undefined : { kind: 'secret', secret: basic.token };
}
