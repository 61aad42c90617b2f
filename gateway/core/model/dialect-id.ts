/** The wire dialects the gateway speaks (DESIGN §2), ordered oldest first: a later entry is better. */

export const DIALECTS = [
  'ocs-v1',
  'ocs-v2',
  'ocm-proposal1',
  'ocm-1.0',
  'ocm-1.1',
  'ocm-1.2',
  'ocm-1.3',
] as const;

export type DialectId = (typeof DIALECTS)[number];

export const OCS_DIALECTS = ['ocs-v1', 'ocs-v2'] as const satisfies readonly DialectId[];
export type OcsDialectId = (typeof OCS_DIALECTS)[number];

export const OCM_DIALECTS = [
  'ocm-proposal1',
  'ocm-1.0',
  'ocm-1.1',
  'ocm-1.2',
  'ocm-1.3',
] as const satisfies readonly DialectId[];
export type OcmDialectId = (typeof OCM_DIALECTS)[number];

export function isDialectId(value: unknown): value is DialectId {
  return typeof value === 'string' && (DIALECTS as readonly string[]).includes(value);
}

export function isOcmDialect(id: DialectId): id is OcmDialectId {
  return (OCM_DIALECTS as readonly string[]).includes(id);
}

/** Position in DIALECTS: higher is newer. */
export function dialectRank(id: DialectId): number {
  return DIALECTS.indexOf(id);
}

/** Sort comparator: negative when `a` is older than `b`. */
export function compareDialects(a: DialectId, b: DialectId): number {
  return dialectRank(a) - dialectRank(b);
}

/** The newest dialect of a list, or undefined for an empty list. */
export function newestDialect(ids: Iterable<DialectId>): DialectId | undefined {
  let best: DialectId | undefined;
  for (const id of ids) if (best === undefined || dialectRank(id) > dialectRank(best)) best = id;
  return best;
}
