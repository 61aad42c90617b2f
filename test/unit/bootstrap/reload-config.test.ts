import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../config/load-config.ts';
import { compileGuards } from '../../../gateway/bootstrap/compile-guards.ts';
import { createLiveSettings } from '../../../gateway/bootstrap/live-settings.ts';
import { reloadConfig } from '../../../gateway/bootstrap/reload-config.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';

const env = {
  GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
  GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080',
  GATEWAY_CONFIG: 'gw.yaml',
};
const load = (yaml: string) => () => loadConfig({ env, readFile: () => yaml });

function rig(yaml = '{}') {
  const config = load(yaml)();
  const live = createLiveSettings(config, compileGuards(config).policy);
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const log =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      lines.push({ level, message, fields });
    };
  const logger = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    http: log('http'),
    verbose: log('verbose'),
    debug: log('debug'),
  } as unknown as Logger;
  const metrics = createMetrics({ collectDefaults: false });
  return { live, lines, deps: { live, logger, metrics }, metrics };
}

test('objects built before a reload see the new policy and limits through the live view', () => {
  const { live, deps } = rig('policy: { denyHosts: [a.example] }');
  const view = live.view(live.current());
  const policy = live.policy;
  assert.equal(policy.denyHosts.length, 1);
  const report = reloadConfig(
    deps,
    load(
      'policy: { denyHosts: [a.example, b.example] }\nlimits: { sharesBodyBytes: 100 }\npeers: [{ host: c.example, dialect: ocs-v1 }]',
    ),
  );
  assert.equal(report.result, 'applied');
  assert.equal(policy.denyHosts.length, 2);
  assert.equal(policy.peers.get('c.example')?.dialect, 'ocs-v1');
  assert.equal(view.limits.sharesBodyBytes, 100);
  assert.equal(view.peers[0]?.host, 'c.example');
  assert.deepEqual(view.policy.denyHosts, ['a.example', 'b.example']);
});

test('settings needing a restart stay as they were, and keep being reported', () => {
  const { live, deps } = rig();
  const first = reloadConfig(deps, load('timeouts: { peerTotalMs: 999 }'));
  assert.deepEqual(first.needsRestart, ['timeouts.peerTotalMs']);
  assert.equal(first.result, 'unchanged');
  assert.equal(live.current().timeouts.peerTotalMs, 10_000);
  const again = reloadConfig(deps, load('timeouts: { peerTotalMs: 999 }'));
  assert.deepEqual(again.needsRestart, ['timeouts.peerTotalMs']);
});

test('a loader that throws anything is a failed reload, never an exception', async () => {
  const { live, deps, lines, metrics } = rig('policy: { denyHosts: [a.example] }');
  const before = live.current();
  const report = reloadConfig(deps, () => {
    throw new Error('disk on fire');
  });
  assert.deepEqual(report, {
    result: 'failed',
    applied: [],
    needsRestart: [],
    problems: ['disk on fire'],
  });
  assert.equal(live.current(), before);
  // A file the validation refuses.
  const bad = reloadConfig(deps, load("policy: { denyHosts: ['*.*.example'] }"));
  assert.equal(bad.result, 'failed');
  assert.equal(live.current(), before);
  assert.equal(lines.filter((l) => l.level === 'error').length, 2);
  const text = await metrics.registry.metrics();
  assert.match(text, /gateway_config_reloads_total\{result="failed"\} 2/);
});
