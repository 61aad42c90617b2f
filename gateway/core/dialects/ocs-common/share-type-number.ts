/**
 * Nextcloud/ownCloud integer share types (`IShare::TYPE_*`) ↔ names, and the two that federation
 * uses ↔ OCM `shareType` (legacy-protocols.md §1.3: 6 remote user, 9 remote group).
 */
import type { ShareType } from '../../model/index.ts';

export const OCS_SHARE_TYPE = {
  user: 0,
  group: 1,
  link: 3,
  email: 4,
  remote: 6,
  circle: 7,
  remote_group: 9,
  room: 10,
} as const;

export type OcsShareTypeName = keyof typeof OCS_SHARE_TYPE;

export function ocsShareTypeName(value: number): OcsShareTypeName | undefined {
  const entry = Object.entries(OCS_SHARE_TYPE).find(([, n]) => n === value);
  return entry?.[0] as OcsShareTypeName | undefined;
}

/** Federated share types only: 6 → user, 9 → group; anything else has no OCM meaning. */
export function ocsShareTypeToCanonical(value: number): ShareType | undefined {
  if (value === OCS_SHARE_TYPE.remote) return 'user';
  if (value === OCS_SHARE_TYPE.remote_group) return 'group';
  return undefined;
}

/** user → 6, group → 9; OCM `federation` has no legacy number. */
export function canonicalShareTypeToOcs(type: ShareType): number | undefined {
  if (type === 'user') return OCS_SHARE_TYPE.remote;
  if (type === 'group') return OCS_SHARE_TYPE.remote_group;
  return undefined;
}
