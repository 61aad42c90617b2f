/**
 * Which legacy calls a backend has (legacy-protocols §1.1 routes table, §7): ownCloud 9.0 /
 * Nextcloud 9 only accept/decline/unshare; ownCloud 9.1+ and Nextcloud 10+ add reshare,
 * permissions and revoke; Nextcloud 12+ has move; Nextcloud 14+ refuses permissions.
 */
import type { BackendAction, BackendActions, BackendProduct } from './backend-profile.ts';
import { productAtLeast } from './backend-product.ts';

export const BASIC_ACTIONS: readonly BackendAction[] = ['accept', 'decline', 'unshare'];
const FLAT_ACTIONS: readonly BackendAction[] = [
  ...BASIC_ACTIONS,
  'reshare',
  'permissions',
  'revoke',
];

export function actionsVia(
  actions: readonly BackendAction[],
  route: 'ocm' | 'ocs',
): BackendActions {
  return Object.fromEntries(actions.map((action) => [action, route]));
}

/** The OCS actions of a legacy-only product; the basic three when the version is unknown. */
export function legacyActionsOf(product: BackendProduct): readonly BackendAction[] {
  if (product.name === 'Nextcloud') {
    if (productAtLeast(product, 14))
      // NC 14+ routes /permissions into its OCM provider, which refuses it ("Updating reshares not allowed").
      return [...FLAT_ACTIONS.filter((a) => a !== 'permissions'), 'move'];
    if (productAtLeast(product, 12)) return [...FLAT_ACTIONS, 'move'];
    if (productAtLeast(product, 10)) return FLAT_ACTIONS;
    return BASIC_ACTIONS;
  }
  if (product.name === 'ownCloud' && productAtLeast(product, 9, 1)) return FLAT_ACTIONS;
  return BASIC_ACTIONS;
}

/** Nextcloud 14–30 early OCM: move and nothing else stays legacy; permission changes are refused. */
export const NEXTCLOUD_OCM_ACTIONS: BackendActions = {
  ...actionsVia(['accept', 'decline', 'unshare', 'reshare', 'revoke'], 'ocm'),
  move: 'ocs',
};

/** ownCloud 10.1+: its OCM RESHARE_UNDO is a 501 stub, so revoke goes to the legacy route. */
export const OWNCLOUD10_OCM_ACTIONS: BackendActions = {
  ...actionsVia(['accept', 'decline', 'unshare', 'reshare', 'permissions'], 'ocm'),
  revoke: 'ocs',
};

/** An early-OCM server of unknown make: what both Nextcloud and ownCloud 10 take over OCM. */
export const COMPAT_OCM_ACTIONS: BackendActions = {
  ...actionsVia(['accept', 'decline', 'unshare', 'reshare'], 'ocm'),
  revoke: 'ocs',
};

/** OCM 1.0+ servers: every notification type, nothing legacy. */
export const SPEC_OCM_ACTIONS: BackendActions = actionsVia(
  ['accept', 'decline', 'unshare', 'reshare', 'permissions', 'revoke'],
  'ocm',
);
