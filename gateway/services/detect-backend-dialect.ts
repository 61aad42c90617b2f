/**
 * Backend dialect detection (issue 7 item 1, DESIGN §2): probes the backend at start and every
 * `backend.dialectRecheckSeconds`, or takes GATEWAY_BACKEND_DIALECT as forced. An unreachable
 * backend does not stop the gateway: it starts with the forced dialect, else ocs-v2 (the dialect
 * every Nextcloud and ownCloud ≥ 9.1 takes), marked `unknown` with only accept/decline/unshare,
 * and retries sooner (5 s doubling up to the re-check interval) until a probe identifies it.
 * A re-check that fails never replaces a known profile with a guess.
 */
import { decideBackendProfile, type BackendProfile } from '../core/backend/index.ts';
import type { DialectId } from '../core/model/dialect-id.ts';
import type { BackendProber, BackendProfileSource } from '../ports/backend-client.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';

/** Injected so tests can fire re-checks without sleeping; the default unrefs its timers. */
export interface DetectionTimers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface BackendDialectDetectionOptions {
  readonly prober: BackendProber;
  /** GATEWAY_BACKEND_URL. */
  readonly backendUrl: string;
  /** `config.backendDialect`: `auto` probes, a dialect id forces it. */
  readonly dialect: 'auto' | DialectId;
  /** `backend.dialectRecheckSeconds`; 0 turns periodic re-checks off (retries while unknown stay). */
  readonly recheckSeconds: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers?: DetectionTimers;
  /** First retry delay while the backend is unknown. Default 5. */
  readonly retryInitialSeconds?: number;
}

export interface BackendDialectDetection extends BackendProfileSource {
  /** Probes once and starts the re-check timer; resolves with the first profile. */
  start(): Promise<BackendProfile>;
  /** Stops re-checking; an in-flight probe finishes but schedules nothing. */
  stop(): void;
}

const DEFAULT_TIMERS: DetectionTimers = {
  set: (run, ms) => setTimeout(run, ms).unref(),
  clear: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** Without periodic re-checks, retries while unknown still back off up to this. */
const MAX_RETRY_SECONDS = 300;

function summary(profile: BackendProfile): Record<string, unknown> {
  return {
    dialect: profile.dialect,
    variant: profile.variant,
    status: profile.status,
    source: profile.source,
    decidedBy: profile.decidedBy,
    product: `${profile.product.name} ${profile.product.version}`.trim(),
    actions: Object.keys(profile.actions).join(','),
    ocmEndPoint: profile.ocmEndPoint?.url,
    notes: profile.notes,
  };
}

function sameDialect(a: BackendProfile, b: BackendProfile): boolean {
  return a.dialect === b.dialect && a.variant === b.variant && a.status === b.status;
}

export function createBackendDialectDetection(
  options: BackendDialectDetectionOptions,
): BackendDialectDetection {
  const timers = options.timers ?? DEFAULT_TIMERS;
  const forced = options.dialect === 'auto' ? undefined : options.dialect;
  const initialRetry = Math.max(1, options.retryInitialSeconds ?? 5);
  const unreachable = { kind: 'failed', url: options.backendUrl, failure: 'unreachable' } as const;
  let current = decideBackendProfile({
    probes: { ocmProvider: unreachable, ocsProvider: unreachable, statusPhp: unreachable },
    backendUrl: options.backendUrl,
    forced,
    now: options.clock(),
  }).profile;
  let everKnown = false;
  let inFlight: Promise<BackendProfile> | undefined;
  let timer: unknown;
  let stopped = false;
  let retrySeconds = initialRetry;

  function adopt(next: BackendProfile, reachable: boolean): void {
    if (everKnown && (next.status === 'unknown' || !reachable)) {
      options.logger.warn('backend re-check failed; keeping the last known dialect', {
        kept: current.dialect,
        variant: current.variant,
        notes: next.notes,
      });
      return;
    }
    const first = !everKnown && next.status === 'known';
    if (next.status === 'known') everKnown = true;
    if (first || !sameDialect(current, next)) {
      const level = next.status === 'known' ? 'info' : 'warn';
      const message =
        next.status === 'known'
          ? first
            ? 'backend dialect detected'
            : 'backend dialect changed'
          : 'backend not identified: using a conservative dialect and retrying';
      options.logger[level](message, { ...summary(next), previous: current.dialect });
    }
    current = next;
  }

  async function probe(): Promise<BackendProfile> {
    const probes = await options.prober.probe();
    const decision = decideBackendProfile({
      probes,
      backendUrl: options.backendUrl,
      forced,
      now: options.clock(),
    });
    adopt(decision.profile, decision.reachable);
    return current;
  }

  function refresh(): Promise<BackendProfile> {
    inFlight ??= probe().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  function schedule(): void {
    if (stopped) return;
    let seconds: number;
    if (current.status === 'unknown' && !everKnown) {
      const cap = options.recheckSeconds > 0 ? options.recheckSeconds : MAX_RETRY_SECONDS;
      seconds = Math.min(retrySeconds, cap);
      retrySeconds = Math.min(retrySeconds * 2, cap);
    } else if (options.recheckSeconds > 0) {
      seconds = options.recheckSeconds;
    } else return;
    timer = timers.set(() => {
      timer = undefined;
      refresh().then(schedule, (error: unknown) => {
        options.logger.error('backend re-check crashed', { error });
        schedule();
      });
    }, seconds * 1000);
  }

  return {
    current: () => current,
    refresh,
    start: async () => {
      const profile = await refresh();
      if (profile.status === 'unknown') {
        options.logger.warn('backend unreachable or unidentified at start; retrying', {
          ...summary(profile),
          retryInSeconds: retrySeconds,
        });
      }
      schedule();
      return profile;
    },
    stop: () => {
      stopped = true;
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
    },
  };
}

/** Creates the detection and waits for its first probe (bounded by the prober's timeouts). */
export async function startBackendDialectDetection(
  options: BackendDialectDetectionOptions,
): Promise<BackendDialectDetection> {
  const detection = createBackendDialectDetection(options);
  await detection.start();
  return detection;
}
