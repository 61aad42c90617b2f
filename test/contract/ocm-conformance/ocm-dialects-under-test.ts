/** Every OCM codec with the rules it was built from, for the conformance and property suites. */
import type { Codec } from '../../../gateway/core/model/codec.ts';
import type { JsonValue } from '../../../gateway/core/model/json-value.ts';
import type { OcmDialectRules } from '../../../gateway/core/dialects/ocm-common/ocm-dialect-rules.ts';
import {
  ocmProposal1Codec,
  ocmProposal1NextcloudCodec,
  ocmProposal1Owncloud10Codec,
  ocmProposal1Rules,
} from '../../../gateway/core/dialects/ocm-proposal1/ocm-proposal1-codec.ts';
import { ocm10Codec, ocm10Rules } from '../../../gateway/core/dialects/ocm-1.0/ocm-1-0-codec.ts';
import { ocm11Codec, ocm11Rules } from '../../../gateway/core/dialects/ocm-1.1/ocm-1-1-codec.ts';
import { ocm12Codec, ocm12Rules } from '../../../gateway/core/dialects/ocm-1.2/ocm-1-2-codec.ts';
import { ocm13Codec, ocm13Rules } from '../../../gateway/core/dialects/ocm-1.3/ocm-1-3-codec.ts';

export interface DialectUnderTest {
  readonly name: string;
  readonly codec: Codec<JsonValue>;
  readonly rules: OcmDialectRules;
}

export const OCM_DIALECTS_UNDER_TEST: readonly DialectUnderTest[] = [
  { name: 'ocm-proposal1 (compat)', codec: ocmProposal1Codec, rules: ocmProposal1Rules('compat') },
  {
    name: 'ocm-proposal1 (nextcloud)',
    codec: ocmProposal1NextcloudCodec,
    rules: ocmProposal1Rules('nextcloud'),
  },
  {
    name: 'ocm-proposal1 (owncloud10)',
    codec: ocmProposal1Owncloud10Codec,
    rules: ocmProposal1Rules('owncloud10'),
  },
  { name: 'ocm-1.0', codec: ocm10Codec, rules: ocm10Rules },
  { name: 'ocm-1.1', codec: ocm11Codec, rules: ocm11Rules },
  { name: 'ocm-1.2', codec: ocm12Codec, rules: ocm12Rules },
  { name: 'ocm-1.3', codec: ocm13Codec, rules: ocm13Rules },
];
