/** What every piece of a simulated legacy server shares: its traits, its database, its outgoing
 * HTTP client and the knobs a test may turn. */
import type { OutgoingClient } from '../common/outgoing-http.ts';
import { stripHttpsOnly, stripScheme } from '../common/cloud-id.ts';
import type { LegacyFlavour, LegacyTraits } from './legacy-flavours.ts';
import type { LegacyState } from './legacy-state.ts';

export interface LegacyKnobs {
  /** false → createShare & co answer 503 "Server does not support federated cloud sharing". */
  incomingEnabled: boolean;
  /** false → shareinfo 404 and public WebDAV 404 for federated shares. */
  outgoingEnabled: boolean;
  /** false → /ocm-provider/ answers 501 (cloud_federation_api / federatedfilesharing disabled). */
  ocmEnabled: boolean;
  /** Received shares are accepted at once (OC auto_accept_trusted / NC federatedTrustedShareAutoAccept). */
  autoAccept: boolean;
  /** true → createShare fails like a broken DB/storage (500 "internal server error, …"). */
  storageFailure: boolean;
  /** Scheme order for scheme-less remotes: discovery, sending and mounting. */
  schemes: string[];
}

export interface LegacyContext {
  traits: LegacyTraits;
  state: LegacyState;
  client: OutgoingClient;
  knobs: LegacyKnobs;
  /** The URL this server believes it has (overwrite.cli.url), incl. sub-path, no trailing slash. */
  publicUrl(): string;
  /** Background work (e.g. the owner sending a re-share) that tests may await. */
  track(work: Promise<unknown>): void;
}

/** The `remote` field value: base URL with trailing slash (getAbsoluteURL('/')). */
export function remoteField(ctx: LegacyContext): string {
  return `${ctx.publicUrl()}/`;
}

/** This server's cloud id for a local user, as its sender builds it. */
export function localCloudId(ctx: LegacyContext, uid: string): string {
  const host =
    ctx.traits.product === 'Nextcloud'
      ? stripHttpsOnly(ctx.publicUrl())
      : stripScheme(ctx.publicUrl());
  return `${uid}@${host}`;
}

/** Absolute OCM endPoint advertised in /ocm-provider/. */
export function ocmEndPoint(ctx: LegacyContext): string {
  return ctx.publicUrl() + ctx.traits.ocmEndpointPath;
}

export interface LegacyServerOptions extends Partial<LegacyKnobs> {
  flavour: LegacyFlavour;
  /** Major version for the nextcloud-ocm flavour, 14–30 (default 27). */
  nextcloudVersion?: number;
  /** Sub-path the instance is installed under, e.g. '/nextcloud'. */
  basePath?: string;
  /** The URL the server believes it has (overwrite.cli.url); defaults to its loopback URL. */
  publicUrl?: string;
  /** Forward proxy for all outgoing HTTP (the `proxy` system config). */
  proxy?: string;
  /** Extra CA certificates (PEM) for outgoing https. */
  ca?: string | string[];
  timeoutMs?: number;
  /** Users to create: uid → display name. */
  users?: Record<string, string>;
}

export function knobsFrom(options: LegacyServerOptions, traits: LegacyTraits): LegacyKnobs {
  return {
    incomingEnabled: options.incomingEnabled ?? true,
    outgoingEnabled: options.outgoingEnabled ?? true,
    ocmEnabled: options.ocmEnabled ?? true,
    autoAccept: options.autoAccept ?? false,
    storageFailure: options.storageFailure ?? false,
    schemes: options.schemes ?? [...traits.defaultSchemes],
  };
}
