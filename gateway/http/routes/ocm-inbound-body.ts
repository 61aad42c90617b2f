/**
 * Reading an inbound OCM request: the raw bytes bodyLimit kept (what the signature covers), the
 * target the peer addressed, and the JSON body parsed by the newest codec that accepts it.
 */
import type { Request } from 'express';
import { codecFor } from '../../core/dialects/dialect-registry.ts';
import { GatewayError } from '../../core/errors/gateway-error.ts';
import type { ValidationIssue } from '../../core/errors/validation-issue.ts';
import type { CanonicalNotification } from '../../core/model/canonical-notification.ts';
import type { CanonicalShare } from '../../core/model/canonical-share.ts';
import type { DialectId } from '../../core/model/dialect-id.ts';
import type { IncomingSignedRequest } from '../../ports/peer-authenticator.ts';
import { rawBodyOf } from '../middleware/body-limit.ts';
import { originalTargetOf } from '../middleware/request-hardening.ts';

/** Newest first: a lenient newer codec reads older spellings; older codecs catch the rest. */
const PARSE_ORDER: readonly DialectId[] = [
  'ocm-1.3',
  'ocm-1.2',
  'ocm-1.1',
  'ocm-1.0',
  'ocm-proposal1',
];

interface Parsed {
  readonly shareCreate: CanonicalShare;
  readonly notification: CanonicalNotification;
}

export function rawBody(req: Request): Buffer {
  const body = rawBodyOf(req);
  // bodyLimit runs before every guarded route; without it there is nothing safe to read.
  if (body === undefined) throw new GatewayError('INTERNAL', 'the body limit did not run');
  return body;
}

/** The request as the peer signed it: public origin + the target exactly as sent. */
export function signedRequestOf(req: Request, publicOrigin: string): IncomingSignedRequest {
  return {
    method: req.method,
    targetUri: `${publicOrigin}${originalTargetOf(req) ?? req.originalUrl}`,
    headers: req.headers,
    body: new Uint8Array(rawBody(req)),
  };
}

/** The body as canonical data; a 400 GatewayError naming the fields when no codec accepts it. */
export function parseInbound<K extends keyof Parsed>(
  req: Request,
  kind: K,
): { readonly value: Parsed[K]; readonly dialect: DialectId } {
  return parseInboundBody(rawBody(req), kind);
}

/**
 * The bytes as canonical data. A well-formed share whose only fault is a `shareType` no OCM version
 * knows is 501 (OCM: "share type not supported", as ownCloud 10 and Nextcloud answer), not 400.
 */
export function parseInboundBody<K extends keyof Parsed>(
  bytes: Buffer,
  kind: K,
): { readonly value: Parsed[K]; readonly dialect: DialectId } {
  let wire: unknown;
  try {
    wire = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new GatewayError('INVALID_REQUEST', 'The body is not valid JSON.', {
      issues: [{ field: 'body', message: 'must be a JSON object' }],
    });
  }
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) {
    throw new GatewayError('INVALID_REQUEST', 'The body is not a JSON object.', {
      issues: [{ field: 'body', message: 'must be a JSON object' }],
    });
  }
  let firstIssues: readonly ValidationIssue[] | undefined;
  for (const dialect of PARSE_ORDER) {
    const message = codecFor(dialect)?.[kind];
    if (message === undefined) continue;
    const result = message.parse(wire, { mode: 'lenient' });
    if (result.ok) return { value: result.value as Parsed[K], dialect };
    firstIssues ??= result.issues;
  }
  const issues = firstIssues ?? [{ field: 'body', message: 'cannot be read' }];
  const shareType = (wire as Record<string, unknown>).shareType;
  if (
    kind === 'shareCreate' &&
    typeof shareType === 'string' &&
    shareType !== '' &&
    issues.every((i) => i.field === 'shareType')
  ) {
    throw new GatewayError(
      'NOT_IMPLEMENTED',
      `Share type "${shareType.slice(0, 40)}" is not supported.`,
      { issues },
    );
  }
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.field} ${i.message}`)
    .join('; ');
  throw new GatewayError('INVALID_REQUEST', `Invalid ${label(kind)}: ${summary}`, { issues });
}

function label(kind: keyof Parsed): string {
  return kind === 'shareCreate' ? 'share' : 'notification';
}
