/**
 * A configuration reload (issue 8 item 2, SIGHUP): reads the config again, validates it with the
 * same schema and policy checks as start-up, and swaps only what is read per request (peer policy,
 * per-peer overrides, federation body limits). Listeners and requests in flight are not touched.
 * A bad file keeps the running config with one error line listing every problem; settings that
 * need a restart are named in one warning and not applied.
 */
import { ConfigError } from '../../config/config-error.ts';
import { deepFreeze } from '../../config/deep-freeze.ts';
import { diffConfig, type ConfigDiff } from '../../config/diff-config.ts';
import type { GatewayConfig } from '../../config/gateway-config.ts';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import type { Logger } from '../ports/logger.ts';
import { compileGuards, type Guards } from './compile-guards.ts';
import type { LiveSettings } from './live-settings.ts';

export interface ReloadReport {
  readonly result: 'applied' | 'unchanged' | 'failed';
  /** Settings applied live. */
  readonly applied: readonly string[];
  /** Settings that changed but need a restart (not applied). */
  readonly needsRestart: readonly string[];
  /** Why the new config was refused (result `failed`). */
  readonly problems: readonly string[];
}

export interface ReloadDeps {
  readonly live: LiveSettings;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

export function reloadConfig(deps: ReloadDeps, load: () => GatewayConfig): ReloadReport {
  const { live, logger, metrics } = deps;
  const running = live.current();
  let merged: GatewayConfig;
  let diff: ConfigDiff;
  let guards: Guards;
  try {
    const next = load();
    diff = diffConfig(running, next);
    merged = deepFreeze(applyLiveParts(running, next));
    guards = compileGuards(merged);
  } catch (error) {
    const problems =
      error instanceof ConfigError
        ? error.problems.map((p) => `${p.where}: ${p.problem}`)
        : [error instanceof Error ? error.message : String(error)];
    metrics.configReloads.inc({ result: 'failed' });
    logger.error('configuration reload failed: the running configuration is kept', { problems });
    return { result: 'failed', applied: [], needsRestart: [], problems };
  }
  if (diff.restart.length > 0) {
    logger.warn('configuration reload: changed, needs restart (not applied)', {
      settings: diff.restart,
    });
  }
  if (diff.live.length === 0) {
    metrics.configReloads.inc({ result: 'unchanged' });
    logger.info('configuration reload: nothing to apply live', { needsRestart: diff.restart });
    return { result: 'unchanged', applied: [], needsRestart: diff.restart, problems: [] };
  }
  live.swap(merged, guards.policy);
  metrics.configReloads.inc({ result: 'applied' });
  logger.info('configuration reloaded', { applied: diff.live, needsRestart: diff.restart });
  return { result: 'applied', applied: diff.live, needsRestart: diff.restart, problems: [] };
}

/** The running config with only the live settings taken from the new one. */
function applyLiveParts(running: GatewayConfig, next: GatewayConfig): GatewayConfig {
  const allowHttp = new Map(running.peers.map((p) => [p.host, p.allowHttp]));
  return {
    ...running,
    policy: next.policy,
    // allowHttp is read at start-up only: keep the running value so it still shows as changed.
    peers: next.peers.map((p) => ({ ...p, allowHttp: allowHttp.get(p.host) ?? false })),
    limits: {
      ...running.limits,
      sharesBodyBytes: next.limits.sharesBodyBytes,
      notificationsBodyBytes: next.limits.notificationsBodyBytes,
    },
  };
}
