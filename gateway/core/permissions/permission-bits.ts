/**
 * OCS permission bitmask ↔ OCM permission names, as Nextcloud converts them
 * (legacy-protocols.md §1.7, §3.2): read ↔ 1, write ↔ update|create (2|4), share ↔ 16.
 *
 * Lossy, on purpose and exactly like the servers:
 * - delete (8) has no OCM name: it is dropped from bits → names;
 * - update (2) and create (4) fold into one `write`: either bit alone gives `write`, and `write`
 *   always comes back as both (6);
 * so bits → names → bits is the identity only for masks without 8 whose 2 and 4 bits agree.
 * names → bits → names is always the identity (on the de-duplicated, ordered list).
 */
import { SHARE_PERMISSIONS, type SharePermission } from '../model/index.ts';

export const PERMISSION_BIT = {
  read: 1,
  update: 2,
  create: 4,
  delete: 8,
  share: 16,
} as const;

/** All five bits (31): what legacy servers mean by "all permissions". */
export const ALL_PERMISSION_BITS = 31;

/** The bits each OCM name stands for. */
export const PERMISSION_NAME_BITS: Readonly<Record<SharePermission, number>> = {
  read: PERMISSION_BIT.read,
  write: PERMISSION_BIT.update | PERMISSION_BIT.create,
  share: PERMISSION_BIT.share,
};

/** Bits that cannot be expressed in OCM names (delete). */
export const UNNAMED_PERMISSION_BITS = PERMISSION_BIT.delete;

/** OCM names for a bitmask, in canonical order (read, write, share). Bits above 31 are ignored. */
export function permissionBitsToNames(bits: number): SharePermission[] {
  return SHARE_PERMISSIONS.filter((name) => (bits & PERMISSION_NAME_BITS[name]) !== 0);
}

/** The bitmask for a list of names; duplicates are harmless. */
export function permissionNamesToBits(names: Iterable<SharePermission>): number {
  let bits = 0;
  for (const name of names) bits |= PERMISSION_NAME_BITS[name];
  return bits;
}

/** True when bits → names → bits gives the same mask back. */
export function isLosslessPermissionBits(bits: number): boolean {
  return (
    Number.isInteger(bits) &&
    bits >= 0 &&
    bits <= ALL_PERMISSION_BITS &&
    permissionNamesToBits(permissionBitsToNames(bits)) === bits
  );
}

export interface PermissionNames {
  /** Known names, de-duplicated, in canonical order. */
  readonly names: SharePermission[];
  /** Values that are not OCM permission names, as received. */
  readonly unknown: string[];
}

/**
 * Reads wire names. `caseInsensitive` follows Nextcloud (`strtolower`); the spec compares exactly.
 * Unknown names are returned so the caller can warn (lenient) or refuse (strict).
 */
export function readPermissionNames(
  values: readonly string[],
  caseInsensitive: boolean,
): PermissionNames {
  const names = new Set<SharePermission>();
  const unknown: string[] = [];
  for (const raw of values) {
    const value = caseInsensitive ? raw.toLowerCase() : raw;
    const known = SHARE_PERMISSIONS.find((name) => name === value);
    if (known === undefined) unknown.push(raw);
    else names.add(known);
  }
  const ordered = SHARE_PERMISSIONS.filter((name) => names.has(name));
  return { names: ordered, unknown };
}
