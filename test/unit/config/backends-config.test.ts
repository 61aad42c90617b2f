import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../../config/config-error.ts';
import { loadConfig } from '../../../config/load-config.ts';

const load = (yaml: string, env: Record<string, string> = {}) =>
  loadConfig({ env: { GATEWAY_CONFIG: 'gw.yaml', ...env }, readFile: () => yaml });

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.where}: ${p.problem}`);
    throw error;
  }
  return [];
};

const TWO = `
backends:
  - id: sales
    url: http://10.0.0.11:8080/nextcloud/
    publicUrl: https://Sales.example.org/
    userDomains: [sales.example.org]
  - id: lab
    url: http://10.0.0.12
    publicUrl: https://lab.example.org
    dialect: ocs-v1
    publicHosts: [lab.example.com]
    internalPort: 9301
  - id: modern
    url: http://10.0.0.13
    publicUrl: https://new.example.org
    dialect: ocm
    internalPort: 9302
`;

test('single-backend mode is what GATEWAY_* say, as one backend named default', () => {
  const config = loadConfig({
    env: {
      GATEWAY_PUBLIC_URL: 'https://cloud.example.org/',
      GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080',
      GATEWAY_BACKEND_DIALECT: 'ocs-v2',
    },
  });
  assert.equal(config.multiBackend, false);
  assert.deepEqual(config.backends, [
    {
      id: 'default',
      url: 'http://127.0.0.1:8080',
      publicUrl: 'https://cloud.example.org',
      dialect: 'ocs-v2',
      modern: false,
      publicHosts: ['cloud.example.org'],
      userDomains: [],
      internalPort: 9300,
      facadeBaseUrl: undefined,
    },
  ]);
});

test('a backends: list gives each backend its URLs, hosts, dialect and internal port', () => {
  const config = load(TWO);
  assert.equal(config.multiBackend, true);
  assert.deepEqual(
    config.backends.map((b) => [b.id, b.url, b.publicUrl, b.dialect, b.modern, b.internalPort]),
    [
      [
        'sales',
        'http://10.0.0.11:8080/nextcloud',
        'https://sales.example.org',
        'auto',
        false,
        9300,
      ],
      ['lab', 'http://10.0.0.12', 'https://lab.example.org', 'ocs-v1', false, 9301],
      ['modern', 'http://10.0.0.13', 'https://new.example.org', 'auto', true, 9302],
    ],
  );
  assert.deepEqual(config.backends[1]?.publicHosts, ['lab.example.org', 'lab.example.com']);
  // The first backend stands for "the" backend where older code asks.
  assert.equal(config.publicUrl, 'https://sales.example.org');
  assert.equal(config.backendUrl, 'http://10.0.0.11:8080/nextcloud');
  assert.ok(Object.isFrozen(config.backends[0]));
});

test('backends: problems are all listed at once', () => {
  const problems = problemsOf(() =>
    load(
      `
backends:
  - id: a
    url: http://10.0.0.1?x=1
    publicUrl: https://a.example.org
  - id: b
    url: http://10.0.0.2
    publicUrl: https://a.example.org
  - id: c
    url: http://10.0.0.3
    publicUrl: https://c.example.org
    modern: true
    dialect: ocs-v1
  - id: e
    url: http://10.0.0.5
    publicUrl: https://e.example.org
    internalPort: 9200
  - id: d
    url: http://10.0.0.4
    publicUrl: https://a.example.org
    dialect: ocm
    internalPort: 9310
`,
      { GATEWAY_PUBLIC_URL: 'https://x.example.org' },
    ),
  );
  const text = problems.join('\n');
  assert.match(text, /GATEWAY_PUBLIC_URL: is set while the config file lists backends:/);
  assert.match(text, /backends\.0\.url: must not carry a query/);
  assert.match(text, /backends\.1\.internalPort: is required for every backend but the first/);
  assert.match(text, /backends\.2\.dialect: modern: true contradicts dialect ocs-v1/);
  assert.match(text, /backends\.3\.internalPort: 9200 is already the port of another listener/);
  assert.match(text, /host a\.example\.org is shared by a, b, d, one of them modern/);
});

test('a backend listed twice is a schema problem, and the URLs are still refused beside it', () => {
  const text = problemsOf(() =>
    load(
      `
backends:
  - { id: a, url: 'http://10.0.0.1', publicUrl: 'https://a.example.org' }
  - { id: a, url: 'http://10.0.0.2', publicUrl: 'https://b.example.org', internalPort: 9301 }
`,
      { GATEWAY_BACKEND_URL: 'http://127.0.0.1:8080' },
    ),
  ).join('\n');
  assert.match(text, /backends\.1\.id: backend a is listed twice/);
  assert.match(text, /GATEWAY_BACKEND_URL: is set while the config file lists backends:/);
  assert.doesNotMatch(text, /GATEWAY_PUBLIC_URL/);
});

test('without backends: the two URLs are still required', () => {
  const text = problemsOf(() => load('{}')).join('\n');
  assert.match(text, /GATEWAY_PUBLIC_URL: is required/);
  assert.match(text, /GATEWAY_BACKEND_URL: is required/);
});
