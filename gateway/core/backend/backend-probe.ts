/**
 * The three answers backend detection looks at (legacy-protocols §2.1–2.4): `/ocm-provider/`,
 * `/ocs-provider/`, `/status.php`, as the probing adapter collected them.
 */

export type BackendProbeOutcome =
  | {
      readonly kind: 'answer';
      readonly url: string;
      readonly status: number;
      readonly contentType: string | undefined;
      /** The body as text (capped by the adapter). */
      readonly body: string;
    }
  | {
      readonly kind: 'failed';
      readonly url: string;
      readonly failure: 'unreachable' | 'timeout' | 'invalid-response';
    };

export interface BackendProbeResults {
  readonly ocmProvider: BackendProbeOutcome;
  readonly ocsProvider: BackendProbeOutcome;
  readonly statusPhp: BackendProbeOutcome;
}

/** The paths probed, relative to the backend base URL (sub-path kept). */
export const BACKEND_PROBE_PATHS = {
  ocmProvider: '/ocm-provider/',
  ocsProvider: '/ocs-provider/',
  statusPhp: '/status.php',
} as const satisfies Record<keyof BackendProbeResults, string>;
