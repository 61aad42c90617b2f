import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../config/load-config.ts';
import { createLogger } from '../../../gateway/observability/create-logger.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.ts';
import { freePort } from '../../support/free-port.ts';
import { read, record, yamlDocuments } from './deploy-files.ts';

/**
 * Sidecar mode: each snippet must send to the gateway every path the gateway answers itself
 * (found by asking a real gateway, below), plus the legacy federation paths it passes through,
 * and nothing else. Each snippet's location list is read with a small model of that server's
 * matching rules; then nginx, Apache httpd and Caddy, when installed (Debian packages), really run
 * the snippet inside a stand-in of the existing server in front of the live gateway. Traefik and
 * the Ingress are checked by the model only.
 */

/** Paths the gateway must answer itself (with the default ocm.endPointPath /ocm, root install). */
const GATEWAY_OWNED = [
  '/.well-known/ocm',
  '/.well-known/jwks.json',
  '/ocm-provider',
  '/ocm-provider/',
  '/ocm-provider/index.php',
  '/ocm/shares',
  '/ocm/notifications',
  '/ocm/token',
  '/public.php/webdav',
  '/public.php/webdav/',
  '/public.php/webdav/Budget.ods',
];
/** Federation calls the gateway passes through to the backend (logged, counted, hardened). */
const FEDERATION_PASSTHROUGH = [
  '/ocs/v1.php/cloud/shares',
  '/ocs/v2.php/cloud/shares',
  '/ocs/v2.php/cloud/shares/17/accept',
  '/ocs/v1.php/cloud/shares/17/unshare',
  '/public.php/dav/files/abc/Budget.ods',
  '/index.php/ocm/shares',
];
/** The existing server's own paths: the snippets must leave them alone. */
const NOT_FEDERATION = [
  '/',
  '/index.php',
  '/index.php/login',
  '/index.php/apps/files/',
  '/index.php/s/AbCdEf',
  '/remote.php/dav/files/bob/Budget.ods',
  '/remote.php/webdav/',
  '/status.php',
  '/ocs/v2.php/apps/files_sharing/api/v1/shares',
  '/ocs/v1.php/cloud/capabilities',
  '/ocs/v2.php/cloud/user',
  '/.well-known/carddav',
  '/.well-known/caldav',
  '/.well-known/webfinger',
  '/.well-known/acme-challenge/token',
  '/ocs-provider/',
  '/apps/files/',
  '/core/img/logo.svg',
];

let backend: Server;
const backendHits: string[] = [];
let gateway: RunningGateway;
let dataDir: string;

before(async () => {
  backend = createServer((req, res) => {
    backendHits.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('backend'));
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  dataDir = mkdtempSync(join(tmpdir(), 'ocm-proxy-snippets-'));
  const config = loadConfig({
    env: {
      GATEWAY_PUBLIC_URL: 'https://cloud.example.org',
      GATEWAY_BACKEND_URL: `http://127.0.0.1:${(backend.address() as { port: number }).port}`,
      GATEWAY_BACKEND_DIALECT: 'ocs-v2',
      GATEWAY_PORT: String(await freePort()),
      GATEWAY_INTERNAL_PORT: String(await freePort()),
      GATEWAY_ADMIN_PORT: String(await freePort()),
      GATEWAY_DATA_DIR: dataDir,
    },
  });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  gateway = await startGateway(config, {
    logger: createLogger({ level: 'error', stream: quiet }),
    metrics: createMetrics({ collectDefaults: false }),
  });
});

after(async () => {
  await gateway.stop();
  backend.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** True when the gateway answered at least one of GET / POST (with a Bearer token) itself. */
async function gatewayAnswers(path: string): Promise<boolean> {
  for (const method of ['GET', 'POST']) {
    const before = backendHits.length;
    const res = await fetch(`${gateway.publicUrl}${path}`, {
      method,
      headers: { authorization: 'Bearer not-a-token', 'content-type': 'application/json' },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    await res.arrayBuffer();
    if (backendHits.length === before) return true;
  }
  return false;
}

test('the gateway answers exactly the federation paths this test expects it to (drift check)', async () => {
  for (const path of GATEWAY_OWNED) assert.equal(await gatewayAnswers(path), true, path);
  for (const path of [...FEDERATION_PASSTHROUGH, ...NOT_FEDERATION])
    assert.equal(await gatewayAnswers(path), false, `${path} goes to the backend`);
});

type Matcher = (path: string) => boolean;

function nginxMatcher(text: string): Matcher {
  const locations = [...text.matchAll(/location\s+(\S+)\s+(\S+)\s*\{([^}]*)\}/g)];
  assert.ok(locations.length > 0);
  const rules = locations.map(([, modifier, path, body]) => {
    assert.ok(modifier === '=' || modifier === '^~', `${path}: only = and ^~ (no regex) locations`);
    assert.match(body!, /proxy_pass http:\/\/ocm_gateway;/, `${path} proxies to the gateway`);
    return { exact: modifier === '=', path: path! };
  });
  return (p) => rules.some((r) => (r.exact ? p === r.path : p.startsWith(r.path)));
}

function apacheMatcher(text: string): Matcher {
  const lines = [...text.matchAll(/^ProxyPass\s+(\S+)\s+(\S+)(.*)$/gm)];
  assert.ok(lines.length > 0);
  const prefixes = lines.map(([, path, target, flags]) => {
    assert.equal(target, `http://127.0.0.1:9200${path!}`, 'the path is passed on unchanged');
    assert.match(flags!, /\bnocanon\b/);
    return path!;
  });
  assert.doesNotMatch(text.replace(/^#.*$/gm, ''), /ProxyPassMatch|RewriteRule/);
  // mod_proxy's alias match: a prefix ending at a path-segment boundary.
  return (p) =>
    prefixes.some(
      (prefix) =>
        p === prefix ||
        (p.startsWith(prefix) && (prefix.endsWith('/') || p[prefix.length] === '/')),
    );
}

function caddyMatcher(text: string): Matcher {
  const block = /@ocm_federation\s*\{([^}]*)\}/.exec(text)?.[1] ?? '';
  const patterns = [...block.matchAll(/^\s*path\s+(.+)$/gm)].flatMap(([, list]) =>
    list!.trim().split(/\s+/),
  );
  assert.ok(patterns.length > 0);
  assert.match(text, /handle @ocm_federation\s*\{\s*reverse_proxy 127\.0\.0\.1:9200\b/);
  // Caddy's path matcher: exact, or a prefix where the pattern ends in `*`.
  return (p) =>
    patterns.some((pattern) =>
      pattern.endsWith('*') ? p.startsWith(pattern.slice(0, -1)) : p === pattern,
    );
}

function traefikMatcher(): Matcher {
  const config = record(yamlDocuments('deploy/proxy/traefik.yaml')[0], 'traefik');
  const http = record(config.http, 'http');
  const router = record(record(http.routers, 'routers')['ocm-gateway-federation'], 'router');
  const service = record(record(http.services, 'services')[String(router.service)], 'service');
  const servers = record(service.loadBalancer, 'loadBalancer').servers as { url: string }[];
  assert.deepEqual(
    servers.map((s) => s.url),
    ['http://127.0.0.1:9200'],
  );
  const rule = String(router.rule);
  assert.match(rule, /^Host\(`[^`]+`\) && \(/);
  const exact = [...rule.matchAll(/\bPath\(`([^`]+)`\)/g)].map((m) => m[1]!);
  const prefixes = [...rule.matchAll(/\bPathPrefix\(`([^`]+)`\)/g)].map((m) => m[1]!);
  assert.doesNotMatch(rule, /PathRegexp|\|\|\s*Host/);
  return (p) => exact.includes(p) || prefixes.some((prefix) => p.startsWith(prefix));
}

function ingressMatcher(): Matcher {
  const ingress = yamlDocuments('deploy/kubernetes/ingress.yaml')[0] as {
    spec: { rules: { http: { paths: { path: string; pathType: string }[] } }[] };
  };
  const paths = ingress.spec.rules.flatMap((r) => r.http.paths);
  // Kubernetes Prefix: element-wise on `/`-separated segments.
  return (p) =>
    paths.some(({ path, pathType }) =>
      pathType === 'Exact'
        ? p === path
        : p === path || p.startsWith(path.endsWith('/') ? path : `${path}/`),
    );
}

const snippets: Record<string, () => Matcher> = {
  'deploy/proxy/nginx.conf': () => nginxMatcher(read('deploy/proxy/nginx.conf')),
  'deploy/proxy/apache.conf': () => apacheMatcher(read('deploy/proxy/apache.conf')),
  'deploy/proxy/Caddyfile': () => caddyMatcher(read('deploy/proxy/Caddyfile')),
  'deploy/proxy/traefik.yaml': traefikMatcher,
  'deploy/kubernetes/ingress.yaml': ingressMatcher,
};

for (const [file, matcher] of Object.entries(snippets)) {
  test(`${file} sends every federation path to the gateway and nothing else`, () => {
    const routes = matcher();
    for (const path of [...GATEWAY_OWNED, ...FEDERATION_PASSTHROUGH])
      assert.equal(routes(path), true, `${path} → gateway`);
    for (const path of NOT_FEDERATION) assert.equal(routes(path), false, `${path} stays`);
  });
}

test('the nginx upstream is the default public port and the included proxy settings keep the target', () => {
  assert.match(
    read('deploy/proxy/nginx.conf'),
    /upstream ocm_gateway \{\s*server 127\.0\.0\.1:9200;/,
  );
  const params = read('deploy/proxy/nginx-proxy-params.conf');
  for (const line of ['proxy_set_header Host $host;', 'proxy_request_buffering off;'])
    assert.ok(params.includes(line), line);
  assert.doesNotMatch(read('deploy/proxy/nginx.conf'), /proxy_pass http:\/\/ocm_gateway\//);
});

/** A minimal nginx configuration: the snippet inside a Nextcloud-like server block. */
function nginxConf(dir: string, listen: number, gatewayPort: number): string {
  const [upstream, server] = read('deploy/proxy/nginx.conf').split(/^# --- server block.*$/m);
  const params = join(dir, 'params.conf');
  writeFileSync(params, read('deploy/proxy/nginx-proxy-params.conf'));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind}_temp_path ${dir}/${kind};`)
    .join(' ');
  return [
    `daemon off; master_process off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;`,
    'events {}',
    `http { access_log off; ${temp}`,
    upstream!.replace('127.0.0.1:9200', `127.0.0.1:${gatewayPort}`),
    `server { listen 127.0.0.1:${listen};`,
    server!.replaceAll('/etc/nginx/snippets/ocm-gateway-proxy.conf', params),
    // The existing server's own locations, as Nextcloud's recommended configuration has them.
    'location ^~ /.well-known { return 200 "existing"; }',
    'location ~ ^/(?:updater|ocs-provider|ocm-provider)(?:$|/) { return 200 "existing"; }',
    'location ~ \\.php(?:$|/) { return 200 "existing"; }',
    'location / { return 200 "existing"; }',
    '}}',
  ].join('\n');
}

/** Apache httpd (Debian layout) with the snippet; everything else answers "existing" (404 page). */
function apacheConf(dir: string, listen: number, gatewayPort: number): string {
  const modules = '/usr/lib/apache2/modules';
  const load = ['mpm_event', 'authz_core', 'proxy', 'proxy_http', 'headers', 'setenvif']
    .map((m) => `LoadModule ${m}_module ${modules}/mod_${m}.so`)
    .join('\n');
  mkdirSync(join(dir, 'www'));
  return [
    load,
    `ServerRoot ${dir}`,
    `Listen 127.0.0.1:${listen}`,
    'ServerName localhost',
    `PidFile ${dir}/httpd.pid`,
    `ErrorLog ${dir}/error.log`,
    `DefaultRuntimeDir ${dir}`,
    `Mutex file:${dir} default`,
    `DocumentRoot ${dir}/www`,
    `<Directory ${dir}/www>\n  Require all granted\n</Directory>`,
    'ErrorDocument 404 "existing"',
    read('deploy/proxy/apache.conf').replaceAll('127.0.0.1:9200', `127.0.0.1:${gatewayPort}`),
  ].join('\n');
}

/** Caddy with the snippet inside the site block; everything else answers "existing". */
function caddyConf(dir: string, listen: number, gatewayPort: number): string {
  return [
    `{\n\tadmin off\n\tauto_https off\n\tstorage file_system ${dir}/storage\n}`,
    `http://127.0.0.1:${listen} {`,
    read('deploy/proxy/Caddyfile').replaceAll('127.0.0.1:9200', `127.0.0.1:${gatewayPort}`),
    '\tredir /.well-known/carddav /remote.php/dav 301',
    '\trespond "existing"',
    '}',
  ].join('\n');
}

interface LiveServer {
  readonly binary: string;
  readonly file: string;
  conf(dir: string, listen: number, gatewayPort: number): string;
  args(conf: string, dir: string): string[];
}

const LIVE: Record<string, LiveServer> = {
  nginx: {
    binary: 'nginx',
    file: 'nginx.conf',
    conf: nginxConf,
    args: (conf, dir) => ['-c', conf, '-p', dir],
  },
  apache2: {
    binary: 'apache2',
    file: 'httpd.conf',
    conf: apacheConf,
    args: (conf) => ['-f', conf, '-X'],
  },
  caddy: {
    binary: 'caddy',
    file: 'Caddyfile',
    conf: caddyConf,
    args: (conf) => ['run', '--config', conf, '--adapter', 'caddyfile'],
  },
};

for (const [name, server] of Object.entries(LIVE)) {
  test(`${name} routes the federation paths to a live gateway and keeps the rest (skipped without ${name})`, async (t) => {
    if (spawnSync(server.binary, ['-v']).error !== undefined) {
      t.skip(`${name} is not installed: it was not run`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), `ocm-${name}-run-`));
    const port = await freePort();
    const conf = join(dir, server.file);
    writeFileSync(conf, server.conf(dir, port, Number(new URL(gateway.publicUrl).port)));
    const child = spawn(server.binary, server.args(conf, dir), {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      let up = false;
      for (let i = 0; i < 100 && !up && child.exitCode === null; i += 1) {
        up = await fetch(`http://127.0.0.1:${port}/`).then(
          () => true,
          () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100)),
        );
      }
      assert.ok(up, `${name} started: ${stderr}`);
      const reached = async (path: string) => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, {
          headers: { authorization: 'Bearer not-a-token' },
          redirect: 'manual',
        });
        const body = await res.text();
        // A 502/504 would be the proxy failing to reach the gateway, not the gateway answering.
        assert.ok(res.status < 500, `${path}: ${res.status}`);
        return body !== 'existing' && res.status !== 301;
      };
      const discovery = await fetch(`http://127.0.0.1:${port}/.well-known/ocm`);
      assert.equal(
        ((await discovery.json()) as { endPoint: string }).endPoint,
        'https://cloud.example.org/ocm',
      );
      for (const path of [...GATEWAY_OWNED, ...FEDERATION_PASSTHROUGH])
        assert.equal(await reached(path), true, `${path} reaches the gateway`);
      for (const path of NOT_FEDERATION)
        assert.equal(await reached(path), false, `${path} stays on the server`);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('nginx -t accepts the snippet inside a server block (skipped without nginx)', (t) => {
  const probe = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (probe.error !== undefined) {
    t.skip('nginx is not installed: `nginx -t` was not run');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ocm-nginx-'));
  try {
    const [upstream, server] = read('deploy/proxy/nginx.conf').split(/^# --- server block.*$/m);
    const params = join(dir, 'params.conf');
    writeFileSync(params, read('deploy/proxy/nginx-proxy-params.conf'));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `pid ${dir}/nginx.pid; error_log ${dir}/error.log; events {}\nhttp { access_log off;\n${upstream}\nserver { listen 127.0.0.1:1; ${server!.replaceAll('/etc/nginx/snippets/ocm-gateway-proxy.conf', params)} }\n}\n`,
    );
    const run = spawnSync('nginx', ['-t', '-c', conf, '-p', dir], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
