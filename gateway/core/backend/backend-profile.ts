/**
 * What the gateway knows about the server it fronts (DESIGN §2 "backend", flow 1/6): its dialect,
 * where that knowledge came from, and which calls it can take. Produced by decideBackendProfile.
 */
import type { DialectId, OcsDialectId } from '../model/dialect-id.ts';

/** The calls the gateway may make on the backend after a share exists (legacy-protocols §1.4–1.9). */
export const BACKEND_ACTIONS = [
  'accept',
  'decline',
  'unshare',
  'reshare',
  'permissions',
  'revoke',
  'move',
] as const;
export type BackendAction = (typeof BACKEND_ACTIONS)[number];

/** How one action reaches the backend: an OCM notification at its endPoint, or the legacy OCS call. */
export type BackendActionRoute = 'ocm' | 'ocs';

export type BackendActions = Readonly<Partial<Record<BackendAction, BackendActionRoute>>>;

export interface BackendProduct {
  /** `ownCloud`, `Nextcloud`, `Pydio`, or `unknown`. */
  readonly name: string;
  /** As status.php gave it (`10.16.0.0`), `''` when unknown. */
  readonly version: string;
  readonly major: number | undefined;
  readonly minor: number | undefined;
}

export interface BackendOcmEndPoint {
  /** The endPoint the backend advertises (usually under its public URL, i.e. the gateway's). */
  readonly advertised: string;
  /** Where the gateway calls it: the advertised path on the backend URL. */
  readonly url: string;
}

export interface BackendProfile {
  readonly dialect: DialectId;
  /** Codec variant (`nextcloud`, `owncloud10`, `compat`, `pydio8`), when the dialect has several. */
  readonly variant?: string;
  /** `unknown`: no probe could identify the backend; the profile is a conservative guess. */
  readonly status: 'known' | 'unknown';
  /** `config`: GATEWAY_BACKEND_DIALECT forced it; `probe`: detected; `default`: nothing answered. */
  readonly source: 'config' | 'probe' | 'default';
  /** The probe URL whose answer decided the dialect, when one did. */
  readonly decidedBy?: string;
  /** Epoch ms of the probe (or of the fallback decision). */
  readonly checkedAt: number;
  readonly product: BackendProduct;
  /** The OCS dialect for legacy calls (createShare of OCS backends, fallbacks of OCM ones). */
  readonly ocsDialect: OcsDialectId;
  readonly ocsVariant?: string;
  /** The backend's public WebDAV path for shares it gives out (`/public.php/webdav/`). */
  readonly webdavPath: string;
  /** Resource types the backend accepts (`file`; OCS backends also `folder`). */
  readonly resourceTypes: readonly string[];
  /** Share types the backend accepts (`user`; Nextcloud OCM also `group`). */
  readonly shareTypes: readonly string[];
  /** Which calls exist and how each is made; an absent action is not supported. */
  readonly actions: BackendActions;
  /** The backend's own OCM endPoint, for OCM backends. */
  readonly ocmEndPoint?: BackendOcmEndPoint;
  /** Why the profile looks as it does (fallbacks, quirks), for the start-up log. */
  readonly notes: readonly string[];
}
