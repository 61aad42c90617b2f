/**
 * Every dialect codec the gateway has (DESIGN §2), oldest dialect first. Services pick a codec
 * with `codecFor(id)`; docs/dialects.md is generated from `describe()` of each entry.
 */
import type { Codec } from '../model/codec.ts';
import { compareDialects, type DialectId } from '../model/dialect-id.ts';
import { ocm10Codec } from './ocm-1.0/ocm-1-0-codec.ts';
import { ocm11Codec } from './ocm-1.1/ocm-1-1-codec.ts';
import { ocm12Codec } from './ocm-1.2/ocm-1-2-codec.ts';
import { ocm13Codec } from './ocm-1.3/ocm-1-3-codec.ts';
import {
  ocmProposal1Codec,
  ocmProposal1NextcloudCodec,
  ocmProposal1Owncloud10Codec,
} from './ocm-proposal1/ocm-proposal1-codec.ts';
import { ocsV1Codec } from './ocs-v1/index.ts';
import { ocsV2Codec, ocsV2Pydio8Codec } from './ocs-v2/index.ts';

export interface RegisteredCodec {
  readonly codec: Codec;
  /** The codec `codecFor(id)` returns when no variant is asked for. */
  readonly isDefault: boolean;
}

export const DIALECT_REGISTRY: readonly RegisteredCodec[] = [
  { codec: ocsV1Codec, isDefault: true },
  { codec: ocsV2Codec, isDefault: true },
  { codec: ocsV2Pydio8Codec, isDefault: false },
  // Unknown early-OCM peers get both spellings (sender + sharedBy, resourceTypes + shareTypes).
  { codec: ocmProposal1Codec, isDefault: true },
  { codec: ocmProposal1NextcloudCodec, isDefault: false },
  { codec: ocmProposal1Owncloud10Codec, isDefault: false },
  { codec: ocm10Codec, isDefault: true },
  { codec: ocm11Codec, isDefault: true },
  { codec: ocm12Codec, isDefault: true },
  { codec: ocm13Codec, isDefault: true },
].sort((a, b) => compareDialects(a.codec.id, b.codec.id));

/** The codec of a dialect: the named variant, or the default one; undefined if there is none. */
export function codecFor(id: DialectId, variant?: string): Codec | undefined {
  const found = DIALECT_REGISTRY.find(
    ({ codec, isDefault }) =>
      codec.id === id && (variant === undefined ? isDefault : codec.variant === variant),
  );
  return found?.codec;
}

/** All codecs of a dialect, default first. */
export function codecVariants(id: DialectId): Codec[] {
  return DIALECT_REGISTRY.filter(({ codec }) => codec.id === id)
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
    .map(({ codec }) => codec);
}
