/** The `ocs-v1` dialect: `/ocs/v1.php/cloud/shares`, success statuscode 100, HTTP always 200 (ownCloud 8–10 fallback, Pydio-era senders). */
import { createOcsCodec, OCS_V1_RULES, type OcsCodec } from '../ocs-common/index.ts';

export const ocsV1Codec: OcsCodec = createOcsCodec(OCS_V1_RULES);
