/** What distinguishes the OCS codecs: API version, path flavour, and which calls the receiver has. */
import type { OcsDialectId } from '../../model/index.ts';
import type { OcsVersion } from '../ocs-envelope/index.ts';
import { OCS_NOTIFICATION_ACTIONS, type OcsNotificationAction } from './ocs-actions.ts';
import type { OcsPathFlavour } from './ocs-share-path.ts';

export interface OcsDialectRules {
  readonly id: OcsDialectId;
  readonly variant?: string;
  readonly title: string;
  readonly version: OcsVersion;
  readonly flavour: OcsPathFlavour;
  /** Notification actions this receiver has routes for. */
  readonly actions: readonly OcsNotificationAction[];
  /** Send ownerFederatedId/sharedBy/sharedByFederatedId/shareType (ignored by older PHP receivers). */
  readonly extendedCreateFields: boolean;
  /** Pydio 8 strips everything but [A-Za-z0-9] from token and remoteId. */
  readonly alphanumericIds: boolean;
  /** Nextcloud's `move` route. */
  readonly move: boolean;
}

export const OCS_V1_RULES: OcsDialectRules = {
  id: 'ocs-v1',
  title: 'OCS federated sharing API v1 (/ocs/v1.php/cloud/shares)',
  version: 1,
  flavour: 'standard',
  actions: OCS_NOTIFICATION_ACTIONS,
  extendedCreateFields: true,
  alphanumericIds: false,
  move: true,
};

export const OCS_V2_RULES: OcsDialectRules = {
  ...OCS_V1_RULES,
  id: 'ocs-v2',
  title: 'OCS federated sharing API v2 (/ocs/v2.php/cloud/shares)',
  version: 2,
};

export const OCS_V2_PYDIO8_RULES: OcsDialectRules = {
  id: 'ocs-v2',
  variant: 'pydio8',
  title: 'Pydio 8 core.ocs subset (/ocs/v2/shares)',
  version: 2,
  flavour: 'pydio8',
  actions: ['accept', 'decline', 'unshare'],
  extendedCreateFields: false,
  alphanumericIds: true,
  move: false,
};
