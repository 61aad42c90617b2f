/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- manifests are untyped YAML walked by shape; each field read is asserted */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../config/load-config.ts';
import { createLogger } from '../../../gateway/observability/create-logger.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.ts';
import { freePort } from '../../support/free-port.ts';
import {
  ENV_NAMES,
  deployFiles,
  gatewayNamesIn,
  read,
  record,
  root,
  yamlDocuments,
} from './deploy-files.ts';

// No Docker engine and no systemd as PID 1 here: compose and the unit are parsed and checked
// against the code; `docker compose config`, image builds and `systemctl start` were not run.
type Obj = Record<string, any>;
const compose = record(yamlDocuments('deploy/compose.yaml')[0], 'compose') as Obj;

test('every GATEWAY_* name in deploy/ and the runbook is a variable of config/env-schema.ts', () => {
  for (const file of [...deployFiles(), 'docs/operations.md']) {
    for (const name of gatewayNamesIn(read(file))) {
      // `GATEWAY_REDIS_*` names a family: at least one variable must have that prefix.
      const known = name.endsWith('_')
        ? [...ENV_NAMES].some((n) => n.startsWith(name))
        : ENV_NAMES.has(name);
      assert.ok(known, `${file}: ${name} is not in config/env-schema.ts`);
    }
  }
});

test('compose: every service is non-root, read-only with a tmpfs /tmp and a health check', () => {
  for (const [name, service] of Object.entries(compose.services as Obj)) {
    assert.equal(service.read_only, true, name);
    assert.ok(service.tmpfs.includes('/tmp'), name);
    assert.doesNotMatch(String(service.user), /^(root|0)(:|$)/, name);
    assert.deepEqual(service.cap_drop, ['ALL'], name);
    if (service.profiles === undefined)
      assert.ok(service.healthcheck?.test, `${name} health check`);
    if (service.build !== undefined)
      assert.ok(existsSync(join(root, 'deploy', service.build.context, service.build.dockerfile)));
    for (const dependency of Object.keys(service.depends_on ?? {}))
      assert.ok(dependency in compose.services, dependency);
    const script = (service.command as string[] | undefined)?.find((a) => a.endsWith('.ts'));
    if (script !== undefined) assert.ok(existsSync(join(root, script)), script);
  }
});

test('compose: the gateway’s environment and file load, and ports/health check match them', () => {
  const gateway = compose.services.gateway;
  const env = Object.fromEntries(
    Object.entries(gateway.environment as Record<string, string>).map(([k, v]) => [
      k,
      // ${VAR:?message} must be set by the operator; here a stand-in.
      v.startsWith('${') ? 'k'.repeat(48) : v,
    ]),
  );
  for (const name of Object.keys(env)) assert.ok(ENV_NAMES.has(name), name);
  const mounts = new Map(
    (gateway.volumes as string[]).map((v) => {
      const [source, target] = v.split(':');
      return [target!, source!];
    }),
  );
  const config = loadConfig({
    env,
    readFile: (path) => read(join('deploy', mounts.get(path) ?? `missing:${path}`)),
  });
  assert.equal(config.state.kind, 'redis');
  const published = (gateway.ports as string[]).map((p) => Number(p.split(':').at(-1)));
  assert.deepEqual(published, [config.listeners.publicPort, config.listeners.adminPort]);
  const health = (gateway.healthcheck.test as string[]).join(' ');
  assert.ok(health.includes(`http://127.0.0.1:${config.listeners.adminPort}/readyz`));
  assert.ok(mounts.has(env.GATEWAY_DATA_DIR!), 'a volume for the data dir');
  // The backend container may use the forward proxy: its network is allowed.
  const subnet = compose.networks.mesh.ipam.config[0].subnet as string;
  assert.ok(read('deploy/compose/gateway.yaml').includes(subnet));
  assert.equal(new URL(env.GATEWAY_BACKEND_URL!).host, 'backend:8080');
});

test('docker-compose config validates the file against the Compose schema (skipped without it)', (t) => {
  const run = spawnSync('docker-compose', ['-f', join(root, 'deploy/compose.yaml'), 'config'], {
    encoding: 'utf8',
    env: { ...process.env, GATEWAY_LEDGER_KEY: 'k'.repeat(48) },
  });
  if (run.error !== undefined) {
    t.skip('docker-compose (Debian 1.29) is not installed: the Compose schema check was not run');
    return;
  }
  assert.equal(run.status, 0, run.stderr);
  const resolved = record(parse(run.stdout), 'resolved') as Obj;
  assert.deepEqual(Object.keys(resolved.services).sort(), Object.keys(compose.services).sort());
  assert.equal(resolved.services['peer-ocm'].healthcheck.test.at(-1), '8082');
  // The operator must choose a ledger key: unset or empty, compose refuses to start.
  const unset = spawnSync('docker-compose', ['-f', join(root, 'deploy/compose.yaml'), 'config'], {
    encoding: 'utf8',
    env: { ...process.env, GATEWAY_LEDGER_KEY: '' },
  });
  assert.notEqual(unset.status, 0);
  assert.match(unset.stderr, /GATEWAY_LEDGER_KEY/);
});

test('the demo launcher relays a fixed port to a simulator', async () => {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      'deploy/demo/start-sim.ts',
      'legacy',
      '--host=127.0.0.1',
      `--port=${port}`,
      '--base-path=/nextcloud',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const res = await fetch(`http://127.0.0.1:${port}/nextcloud/status.php`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { productname: string }).productname, 'Nextcloud');
  } finally {
    child.kill('SIGTERM');
  }
});

test('the compose topology without Docker: the gateway as configured there, on Redis, in front of the relayed backend', async (t) => {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    t.skip(`no Redis at ${redisUrl}: the compose topology was not started`);
    return;
  }
  const [publicPort, internalPort, adminPort, backendPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  // Compose's service names become loopback ports; everything else is the compose file's.
  const hosts: [string, string][] = [
    ['http://gateway:9200', `http://127.0.0.1:${publicPort}`],
    ['http://gateway:9300', `http://127.0.0.1:${internalPort}`],
    ['http://backend:8080', `http://127.0.0.1:${backendPort}`],
    ['redis://redis:6379', redisUrl],
    ['172.30.80.0/24', '127.0.0.0/8'],
  ];
  const local = (text: string) => hosts.reduce((acc, [from, to]) => acc.replaceAll(from, to), text);
  const service = compose.services.backend;
  const backend = spawn(
    process.execPath,
    (service.command as string[])
      .slice(1)
      .map((arg) => local(arg.replace('--port=8080', `--port=${backendPort}`)))
      .concat('--host=127.0.0.1'),
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const prefix = `deploytest:${process.pid}:${Date.now()}:`;
  const dataDir = mkdtempSync(join(tmpdir(), 'ocm-compose-topology-'));
  let gateway: RunningGateway | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      backend.stdout.once('data', () => resolve());
      backend.once('exit', (code) => reject(new Error(`backend exited ${code}`)));
    });
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(
      compose.services.gateway.environment as Record<string, string>,
    ))
      env[key] = local(value.startsWith('${') ? 'k'.repeat(48) : value);
    Object.assign(env, {
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: String(publicPort),
      GATEWAY_INTERNAL_PORT: String(internalPort),
      GATEWAY_ADMIN_PORT: String(adminPort),
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_REDIS_KEY_PREFIX: prefix,
    });
    const config = loadConfig({
      env,
      readFile: () => local(read('deploy/compose/gateway.yaml')),
    });
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    gateway = await startGateway(config, {
      logger: createLogger({ level: 'error', stream: quiet }),
      metrics: createMetrics({ collectDefaults: false }),
    });
    // What the compose health check asks, and a page passed through to the simulated Nextcloud.
    assert.equal((await fetch(`http://127.0.0.1:${adminPort}/readyz`)).status, 200);
    const status = await fetch(`http://127.0.0.1:${publicPort}/status.php`);
    assert.equal(((await status.json()) as { productname: string }).productname, 'Nextcloud');
    const discovery = (await (
      await fetch(`http://127.0.0.1:${publicPort}/.well-known/ocm`)
    ).json()) as { endPoint: string };
    assert.equal(discovery.endPoint, `http://127.0.0.1:${publicPort}/ocm`);
  } finally {
    await gateway?.stop();
    backend.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
});

function unitDirectives(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match === null) continue;
    out.set(match[1]!, [...(out.get(match[1]!) ?? []), match[2]!]);
  }
  return out;
}

test('systemd: a hardened unit that starts the composition root with a state directory', () => {
  const unit = unitDirectives(read('deploy/systemd/ocm-gateway.service'));
  const value = (key: string) => unit.get(key)?.at(-1);
  assert.equal(value('ProtectSystem'), 'strict');
  assert.equal(value('NoNewPrivileges'), 'yes');
  assert.equal(value('StateDirectory'), 'ocm-gateway');
  assert.equal(value('CapabilityBoundingSet'), '');
  assert.ok(value('User') !== undefined || value('DynamicUser') === 'yes');
  assert.notEqual(value('User'), 'root');
  assert.equal(value('ExecReload'), '/bin/kill -HUP $MAINPID');
  assert.equal(value('RestartPreventExitStatus'), '2', 'exit 2 = bad configuration');
  const exec = value('ExecStart')!.split(' ');
  assert.equal(exec[1], '/opt/ocm-gateway/gateway/main.ts');
  assert.ok(existsSync(join(root, 'gateway', 'main.ts')));
  const envs = (unit.get('Environment') ?? []).map((e) => e.split('=')[0]!);
  for (const name of envs.filter((n) => n.startsWith('GATEWAY_'))) assert.ok(ENV_NAMES.has(name));
  assert.ok(unit.get('Environment')!.includes('GATEWAY_DATA_DIR=/var/lib/ocm-gateway'));
  // The example environment file loads, with the data dir the unit sets.
  const example = Object.fromEntries(
    read('deploy/systemd/gateway.env.example')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const config = loadConfig({ env: { ...example, GATEWAY_DATA_DIR: '/var/lib/ocm-gateway' } });
  assert.equal(config.state.kind, 'embedded');
});

test('systemd-analyze verify accepts the unit (skipped without systemd-analyze)', (t) => {
  const run = spawnSync(
    'systemd-analyze',
    ['verify', '--man=no', join(root, 'deploy/systemd/ocm-gateway.service')],
    { encoding: 'utf8' },
  );
  if (run.error !== undefined) {
    t.skip('systemd-analyze is not installed: the unit was not verified');
    return;
  }
  // Only problems with the unit itself count: the user, /opt and /etc files do not exist here.
  const problems = run.stderr
    .split('\n')
    .filter(
      (l) => l.includes('ocm-gateway.service') && !/not found|No such file|does not exist/i.test(l),
    );
  assert.deepEqual(problems, []);
});

test('grafana: every metric and label the dashboard queries is registered by createMetrics', async () => {
  const dashboard = JSON.parse(read('deploy/grafana-dashboard.json')) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  const registry = createMetrics().registry;
  const known = new Map((await registry.getMetricsAsJSON()).map((m) => [m.name, m.name]));
  const labelsOf = (name: string): string[] =>
    (registry.getSingleMetric(name) as unknown as { labelNames?: string[] } | undefined)
      ?.labelNames ?? [];
  let count = 0;
  for (const panel of dashboard.panels) {
    assert.ok(panel.targets.length > 0, panel.title);
    for (const { expr } of panel.targets) {
      const names = expr.match(/\b(?:gateway|process|nodejs)_[a-z0-9_]+\b/g) ?? [];
      assert.ok(names.length > 0, expr);
      for (const raw of names) {
        const base = known.has(raw) ? raw : raw.replace(/_(bucket|sum|count)$/, '');
        assert.ok(known.has(base), `${raw} (${panel.title}) is not registered`);
        count += 1;
        const labels = new Set([...labelsOf(base), 'job', 'instance', 'le']);
        const used = [
          ...[...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(/,\s*/)),
          ...[...expr.matchAll(/([a-z_]+)(?:=~|!=|=)"/g)].map((m) => m[1]!),
        ];
        for (const label of used) assert.ok(labels.has(label.trim()), `${label} on ${base}`);
      }
    }
  }
  // Every gateway_* metric appears on the dashboard.
  for (const name of known.keys())
    if (name.startsWith('gateway_'))
      assert.ok(
        dashboard.panels.some((p) => p.targets.some((t) => t.expr.includes(name))),
        `${name} is on the dashboard`,
      );
  assert.ok(count > 0);
});
