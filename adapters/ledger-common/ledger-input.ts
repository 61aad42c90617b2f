/**
 * Input checks and naming shared by both ledger adapters, so SQLite and Redis refuse the same
 * records with the same INVALID_REQUEST issues and index secrets the same way.
 */
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { ValidationIssue } from '../../gateway/core/errors/validation-issue.ts';
import type {
  InviteState,
  InviteTransitionRequest,
  NewInviteRecord,
  NewOutboxItem,
  NewShareRecord,
  ShareKey,
  SharePatch,
  ShareState,
} from '../../gateway/ports/ledger.ts';
import { checkShareProtocol } from './share-protocol-blob.ts';

/** Purposes for SecretBox.index: one keyed-hash space per kind of secret. */
export const SHARE_SECRET_INDEX = 'share-secret';
export const INVITE_TOKEN_INDEX = 'invite-token';

const SHARE_STATES: readonly string[] = ['pending', 'accepted', 'declined', 'unshared'];
const INVITE_STATES: readonly string[] = ['pending', 'accepted', 'declined', 'revoked'];

export function isShareState(value: string): value is ShareState {
  return SHARE_STATES.includes(value);
}

export function isInviteState(value: string): value is InviteState {
  return INVITE_STATES.includes(value);
}

/** One unambiguous string per ShareKey (JSON escapes any separator a field could contain). */
export function shareKeyId(key: ShareKey): string {
  return JSON.stringify([key.direction, key.peerHost, key.providerId]);
}

function required(issues: ValidationIssue[], field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) {
    issues.push({ field, message: 'is required and must be a non-empty string' });
  }
}

function refuse(what: string, issues: ValidationIssue[]): void {
  if (issues.length > 0) {
    throw new GatewayError('INVALID_REQUEST', `The ${what} cannot be recorded.`, { issues });
  }
}

export function checkNewShare(input: NewShareRecord): void {
  const issues: ValidationIssue[] = [];
  // Typed callers can still pass anything at run time (JSON from a peer); say so clearly.
  const direction: string = input.direction;
  if (direction !== 'incoming' && direction !== 'outgoing') {
    issues.push({ field: 'direction', message: "must be 'incoming' or 'outgoing'" });
  }
  const fields = [
    'peerHost',
    'providerId',
    'sharedSecret',
    'owner',
    'sender',
    'shareWith',
  ] as const;
  for (const field of [...fields, 'resourceName'] as const) required(issues, field, input[field]);
  required(issues, 'dialects.peer', input.dialects.peer);
  required(issues, 'dialects.backend', input.dialects.backend);
  if (input.backendShareId !== undefined) required(issues, 'backendShareId', input.backendShareId);
  if (input.state !== undefined && !isShareState(input.state)) {
    issues.push({ field: 'state', message: `must be one of ${SHARE_STATES.join(', ')}` });
  }
  checkShareProtocol(issues, input.protocol);
  refuse('share', issues);
}

export function checkSharePatch(patch: SharePatch): void {
  const issues: ValidationIssue[] = [];
  if (patch.state !== undefined && !isShareState(patch.state)) {
    issues.push({ field: 'state', message: `must be one of ${SHARE_STATES.join(', ')}` });
  }
  if (patch.backendShareId !== undefined) required(issues, 'backendShareId', patch.backendShareId);
  refuse('share update', issues);
}

export function checkNewInvite(input: NewInviteRecord): void {
  const issues: ValidationIssue[] = [];
  required(issues, 'token', input.token);
  required(issues, 'sender', input.sender);
  if (!Number.isFinite(input.expiresAt)) {
    issues.push({ field: 'expiresAt', message: 'must be a finite epoch-ms number' });
  }
  refuse('invite', issues);
}

export function checkInviteTransition(request: InviteTransitionRequest): void {
  const issues: ValidationIssue[] = [];
  if (!isInviteState(request.from)) {
    issues.push({ field: 'from', message: 'is not an invite state' });
  }
  if (!isInviteState(request.to)) issues.push({ field: 'to', message: 'is not an invite state' });
  if (request.acceptedBy !== undefined) required(issues, 'acceptedBy', request.acceptedBy);
  refuse('invite transition', issues);
}

export function checkNewOutboxItem(input: NewOutboxItem): void {
  const issues: ValidationIssue[] = [];
  required(issues, 'peerHost', input.peerHost);
  required(issues, 'kind', input.kind);
  if (input.shareId !== undefined) required(issues, 'shareId', input.shareId);
  if (input.dueAt !== undefined && !Number.isFinite(input.dueAt)) {
    issues.push({ field: 'dueAt', message: 'must be a finite epoch-ms number' });
  }
  if (input.payload === undefined) {
    issues.push({ field: 'payload', message: 'is required (JSON-serialisable)' });
  }
  refuse('outbox item', issues);
}

/** For leases, delays and limits: a programming error, hence RangeError rather than a 400. */
export function checkNonNegativeInteger(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field} must be a non-negative integer, got ${String(value)}`);
  }
}

export function secretInUse(): GatewayError {
  return new GatewayError('INVALID_REQUEST', 'The share cannot be recorded.', {
    issues: [{ field: 'sharedSecret', message: 'is already used by another share' }],
  });
}

export function inviteExists(): GatewayError {
  return new GatewayError('INVALID_REQUEST', 'The invite cannot be recorded.', {
    issues: [{ field: 'token', message: 'is already used by another invite' }],
  });
}

/** Delivery errors are kept short (1 KiB) and empty ones count as none, alike in both adapters. */
export function outboxErrorText(error: string | undefined): string | undefined {
  if (error === undefined || error.length === 0) return undefined;
  return error.length > 1024 ? `${error.slice(0, 1021)}...` : error;
}
