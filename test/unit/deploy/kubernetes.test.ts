/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- manifests are untyped YAML walked by shape; each field read is asserted */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../config/load-config.ts';
import { createAdminApp } from '../../../gateway/http/create-admin-app.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { ENV_NAMES, deployDir, isRecord, read, record, yamlDocuments } from './deploy-files.ts';

// No cluster here: the manifests are parsed, cross-checked with each other and with the code, and
// rendered with `kubectl kustomize` when kubectl is installed. Not checked: admission by a real
// API server (schemas of the installed version, the Prometheus Operator CRD, controllers).
const dir = 'deploy/kubernetes';
const kustomization = record(yamlDocuments(`${dir}/kustomization.yaml`)[0], 'kustomization');
const resources = kustomization.resources as string[];
type Obj = Record<string, any>;
const objects: Obj[] = resources.flatMap((file) =>
  yamlDocuments(`${dir}/${file}`).map((doc) => record(doc, file) as Obj),
);
const byKind = (kind: string): Obj[] => objects.filter((o) => o.kind === kind);
const one = (kind: string, name?: string): Obj => {
  const found = byKind(kind).filter((o) => name === undefined || o.metadata.name === name);
  assert.equal(found.length, 1, `one ${kind} ${name ?? ''}`);
  return found[0]!;
};
const deployment = one('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const envConfigMap = one('ConfigMap', 'ocm-gateway');
const fileConfigMap = one('ConfigMap', 'ocm-gateway-config');

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

test('the kustomization lists every manifest in the directory, and each object is complete', () => {
  const files = readdirSync(join(deployDir, 'kubernetes')).filter(
    (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml',
  );
  assert.deepEqual([...resources].sort(), files.sort());
  for (const object of objects) {
    assert.match(String(object.apiVersion), /^[a-z0-9.]+\/v\d\w*$|^v1$/, 'apiVersion');
    assert.equal(typeof object.kind, 'string');
    assert.ok(isRecord(object.metadata) && typeof object.metadata.name === 'string');
    assert.equal((object.metadata as Obj).labels?.['app.kubernetes.io/name'], 'ocm-gateway');
  }
  const kinds = new Set(objects.map((o) => o.kind));
  for (const kind of [
    'Deployment',
    'Service',
    'Ingress',
    'ConfigMap',
    'Secret',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
    'ServiceMonitor',
  ])
    assert.ok(kinds.has(kind), kind);
});

test('the Deployment runs non-root on a read-only root with resources and probes on the admin port', () => {
  assert.ok(
    matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels),
  );
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.ok(pod.securityContext.runAsUser > 0);
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
  for (const kind of ['requests', 'limits'])
    for (const resource of ['cpu', 'memory']) assert.ok(container.resources[kind][resource]);

  const port = (name: string) =>
    container.ports.find((p: Obj) => p.name === name)?.containerPort as number;
  const env = envConfigMap.data as Record<string, string>;
  assert.equal(port('public'), Number(env.GATEWAY_PORT));
  assert.equal(port('internal'), Number(env.GATEWAY_INTERNAL_PORT));
  assert.equal(port('admin'), Number(env.GATEWAY_ADMIN_PORT));
  const probes = ['startupProbe', 'livenessProbe', 'readinessProbe'].map((p) => container[p]);
  for (const probe of probes) assert.equal(probe.httpGet.port, 'admin');
  assert.equal(container.readinessProbe.httpGet.path, '/readyz');
  assert.equal(container.livenessProbe.httpGet.path, '/healthz');
  // Longer than the drain, so SIGTERM can finish in-flight requests.
  assert.ok(pod.terminationGracePeriodSeconds * 1000 > 10_000);
});

test('the probe paths are the admin listener’s: /healthz and /readyz answer 200 there', async () => {
  const app = createAdminApp({
    logger: { error() {}, warn() {}, info() {}, http() {}, debug() {} } as never,
    metrics: createMetrics({ collectDefaults: false }),
    checks: [],
    isAccepting: () => true,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as { port: number };
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      const res = await fetch(`http://127.0.0.1:${port}${container[probe].httpGet.path}`);
      assert.equal(res.status, 200, probe);
    }
  } finally {
    server.close();
  }
});

test('mounts: writable /data and /tmp, keys from a Secret at <GATEWAY_DATA_DIR>/keys, config file', () => {
  const env = envConfigMap.data as Record<string, string>;
  const mounts = new Map<string, Obj>(container.volumeMounts.map((m: Obj) => [m.mountPath, m]));
  const volume = (name: string) => pod.volumes.find((v: Obj) => v.name === name) as Obj;
  assert.ok(volume(mounts.get(env.GATEWAY_DATA_DIR!)!.name).emptyDir);
  assert.ok(volume(mounts.get('/tmp')!.name).emptyDir);
  const keys = mounts.get(`${env.GATEWAY_DATA_DIR}/keys`)!;
  assert.equal(keys.readOnly, true);
  assert.equal(
    volume(keys.name).secret.secretName,
    one('Secret', 'ocm-gateway-signing-keys').metadata.name,
  );
  const ledgerKeyFile = env.GATEWAY_LEDGER_KEY_FILE!;
  const secretMount = [...mounts.values()].find((m) =>
    ledgerKeyFile.startsWith(`${m.mountPath}/`),
  )!;
  const secretVolume = volume(secretMount.name).secret;
  const secret = one('Secret', secretVolume.secretName);
  for (const item of secretVolume.items) assert.ok(item.key in secret.stringData, item.key);
  const configMount = [...mounts.values()].find((m) =>
    env.GATEWAY_CONFIG!.startsWith(`${m.mountPath}/`),
  )!;
  assert.equal(volume(configMount.name).configMap.name, fileConfigMap.metadata.name);
  // The template holds no secret value.
  for (const s of byKind('Secret'))
    for (const v of Object.values(s.stringData ?? {})) assert.equal(v, '');
});

test('every environment variable is one of the schema’s, and the loader accepts the configuration', () => {
  const env = envConfigMap.data as Record<string, string>;
  const named = [
    ...Object.keys(env),
    ...container.env.map((e: Obj) => e.name),
    ...byKind('Secret').flatMap((s) =>
      Object.keys(s.stringData ?? {}).filter((k) => k.startsWith('GATEWAY_')),
    ),
  ];
  for (const name of named) assert.ok(ENV_NAMES.has(name), `${name} is in config/env-schema.ts`);
  for (const ref of container.envFrom) assert.ok(one('ConfigMap', ref.configMapRef.name));
  const files: Record<string, string> = {
    [env.GATEWAY_CONFIG!]: fileConfigMap.data['gateway.yaml'],
    [env.GATEWAY_LEDGER_KEY_FILE!]: 'x'.repeat(48),
  };
  const config = loadConfig({
    env,
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`no ${path}`), { code: 'ENOENT' });
      return text;
    },
  });
  assert.equal(config.state.kind, 'redis', 'several replicas need shared state');
  assert.equal(config.listeners.adminPort, 9400);
  // An empty ledger key (the template) is refused with Redis: nobody runs on a placeholder.
  assert.throws(() =>
    loadConfig({ env, readFile: (p) => (p === env.GATEWAY_CONFIG ? files[p]! : '') }),
  );
});

test('Service, Ingress, HPA, PDB and ServiceMonitor point at the Deployment’s pods and ports', () => {
  const podLabels = deployment.spec.template.metadata.labels;
  const service = one('Service');
  assert.ok(matches(service.spec.selector, podLabels));
  const containerPorts = new Set(container.ports.map((p: Obj) => p.name));
  for (const p of service.spec.ports) assert.ok(containerPorts.has(p.targetPort), p.name);
  const servicePorts = new Set(service.spec.ports.map((p: Obj) => p.name));

  const ingress = one('Ingress');
  for (const rule of ingress.spec.rules)
    for (const path of rule.http.paths) {
      assert.equal(path.backend.service.name, service.metadata.name);
      assert.equal(path.backend.service.port.name, 'public');
      assert.ok(['Exact', 'Prefix'].includes(path.pathType));
    }
  const hpa = one('HorizontalPodAutoscaler');
  assert.equal(hpa.spec.scaleTargetRef.kind, 'Deployment');
  assert.equal(hpa.spec.scaleTargetRef.name, deployment.metadata.name);
  assert.ok(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas >= hpa.spec.minReplicas);
  const pdb = one('PodDisruptionBudget');
  assert.ok(matches(pdb.spec.selector.matchLabels, podLabels));
  assert.ok(pdb.spec.minAvailable < hpa.spec.minReplicas, 'a drain can still evict');
  const monitor = one('ServiceMonitor');
  assert.ok(matches(monitor.spec.selector.matchLabels, service.metadata.labels));
  for (const endpoint of monitor.spec.endpoints) {
    assert.ok(servicePorts.has(endpoint.port));
    assert.equal(endpoint.path, '/metrics');
  }
});

test('every object is valid against the Kubernetes / Prometheus Operator OpenAPI schemas', async () => {
  // kubernetes-models: the upstream OpenAPI schemas compiled to validators (no cluster needed).
  for (const object of objects) {
    const module = String(object.apiVersion).startsWith('monitoring.coreos.com/')
      ? `@kubernetes-models/prometheus-operator/${object.apiVersion}/${object.kind}`
      : `kubernetes-models/${object.apiVersion}/${object.kind}`;
    const exported = (await import(module)) as Record<string, new (data: unknown) => Obj>;
    const Model = exported[String(object.kind)]!;
    assert.doesNotThrow(
      () => new Model(object).validate(),
      `${object.kind} ${object.metadata.name}`,
    );
  }
  // The validator does catch mistakes: a port given as a string is refused.
  const broken = structuredClone(deployment);
  broken.spec.template.spec.containers[0].ports[0].containerPort = '9200';
  const { Deployment } = await import('kubernetes-models/apps/v1/Deployment');
  assert.throws(() => new Deployment(broken).validate(), /containerPort must be integer/);
});

test('kubectl kustomize renders every object (skipped without kubectl)', (t) => {
  const run = spawnSync('kubectl', ['kustomize', join(deployDir, 'kubernetes')], {
    encoding: 'utf8',
  });
  if (run.error !== undefined) {
    t.skip('kubectl is not installed: the kustomize rendering was not run');
    return;
  }
  assert.equal(run.status, 0, run.stderr);
  const kinds = run.stdout.match(/^kind: \w+$/gm) ?? [];
  assert.equal(kinds.length, objects.length);
  assert.ok(read(`${dir}/kustomization.yaml`).includes('resources:'));
});

test('a key set laid out like a mounted Secret (..data symlinks, read-only) loads as the gateway’s keys', async () => {
  const {
    mkdtempSync,
    mkdirSync,
    readdirSync: list,
    renameSync,
    rmSync,
    symlinkSync,
    chmodSync,
  } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { FileKeyStore, defaultKeyDir } = await import('../../../adapters/keys/file-key-store.ts');
  const work = mkdtempSync(join(tmpdir(), 'ocm-k8s-keys-'));
  try {
    const generated = await new FileKeyStore({ dir: join(work, 'generated') }).load(Date.now());
    // kubelet: files in a timestamped dir, `..data` → it, one symlink per key at the top.
    const dataDir = join(work, 'data');
    const mount = defaultKeyDir(dataDir);
    mkdirSync(mount, { recursive: true });
    renameSync(join(work, 'generated'), join(mount, '..2026_11_28_12_00_00.000000001'));
    symlinkSync('..2026_11_28_12_00_00.000000001', join(mount, '..data'));
    for (const name of list(join(mount, '..data')))
      symlinkSync(`..data/${name}`, join(mount, name));
    chmodSync(mount, 0o500);
    const loaded = await new FileKeyStore({ dir: mount }).load(Date.now());
    assert.deepEqual(
      loaded.keys.map((k) => [k.kid, k.state]),
      generated.keys.map((k) => [k.kid, k.state]),
    );
    chmodSync(mount, 0o700);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
