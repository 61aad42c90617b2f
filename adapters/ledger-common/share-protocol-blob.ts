/**
 * The optional per-share protocol details (ports/ledger.ts ShareProtocolDetails), checked alike by
 * both ledger adapters and sealed as one JSON blob: a `webdav.uri` may embed a secret and `code` is one.
 */
import type { ValidationIssue } from '../../gateway/core/errors/validation-issue.ts';
import type { ShareProtocolDetails } from '../../gateway/ports/ledger.ts';
import type { SecretBox } from '../ledger-crypto/secret-box.ts';

const STRING_FIELDS = ['webdavUri', 'tokenEndPoint', 'code'] as const;

/** Adds an issue per malformed field of `protocol` (absent is fine). */
export function checkShareProtocol(issues: ValidationIssue[], protocol: unknown): void {
  if (protocol === undefined) return;
  if (typeof protocol !== 'object' || protocol === null || Array.isArray(protocol)) {
    issues.push({ field: 'protocol', message: 'must be an object' });
    return;
  }
  const record = protocol as Record<string, unknown>;
  for (const name of STRING_FIELDS) {
    const value = record[name];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
      issues.push({ field: `protocol.${name}`, message: 'must be a non-empty string when given' });
    }
  }
  const requirements = record.requirements;
  if (
    requirements !== undefined &&
    (!Array.isArray(requirements) ||
      requirements.some((r) => typeof r !== 'string' || r.length === 0))
  ) {
    issues.push({ field: 'protocol.requirements', message: 'must be a list of non-empty strings' });
  }
}

/** Only the known fields are kept, so nothing a caller slipped in ends up stored. */
function known(protocol: ShareProtocolDetails): ShareProtocolDetails {
  return {
    ...(protocol.webdavUri !== undefined && { webdavUri: protocol.webdavUri }),
    ...(protocol.requirements !== undefined && { requirements: [...protocol.requirements] }),
    ...(protocol.tokenEndPoint !== undefined && { tokenEndPoint: protocol.tokenEndPoint }),
    ...(protocol.code !== undefined && { code: protocol.code }),
  };
}

export function sealShareProtocol(
  box: SecretBox,
  protocol: ShareProtocolDetails | undefined,
): Promise<string | undefined> {
  if (protocol === undefined) return Promise.resolve(undefined);
  return box.seal(JSON.stringify(known(protocol)));
}

/** Throws (corrupt ledger) when the opened blob is not a protocol object. */
export async function openShareProtocol(
  box: SecretBox,
  sealed: string | undefined,
): Promise<ShareProtocolDetails | undefined> {
  if (sealed === undefined) return undefined;
  const parsed: unknown = JSON.parse(await box.open(sealed));
  const issues: ValidationIssue[] = [];
  checkShareProtocol(issues, parsed);
  if (issues.length > 0) {
    throw new Error('ledger share protocol details are malformed; the ledger may be corrupt');
  }
  return known(parsed as ShareProtocolDetails);
}
