/**
 * The `ocs-v2` dialect: `/ocs/v2.php/cloud/shares`, success statuscode 200, errors as HTTP statuses
 * (Nextcloud 9–13, ownCloud 9.1–10), and its Pydio 8 variant (`/ocs/v2/shares`, accept/decline/unshare only).
 */
import {
  createOcsCodec,
  OCS_V2_PYDIO8_RULES,
  OCS_V2_RULES,
  type OcsCodec,
} from '../ocs-common/index.ts';

export const ocsV2Codec: OcsCodec = createOcsCodec(OCS_V2_RULES);

export const ocsV2Pydio8Codec: OcsCodec = createOcsCodec(OCS_V2_PYDIO8_RULES);
