import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors/gateway-error.ts';
import {
  isAbsoluteForm,
  parseAbsoluteForm,
  parseConnectAuthority,
  tunnelTarget,
} from './proxy-target.ts';
import { SelfTargets } from './self-targets.ts';

test('absolute-form targets: authority keeps a non-default port, hostnames are lower-case', () => {
  assert.equal(isAbsoluteForm('http://peer.example/'), true);
  assert.equal(isAbsoluteForm('HTTPS://peer.example/'), true);
  assert.equal(isAbsoluteForm('/status.php'), false);
  assert.equal(isAbsoluteForm(undefined), false);
  assert.deepEqual(parseAbsoluteForm('http://Peer.Example:8080/a/b?c=d'), {
    scheme: 'http',
    hostname: 'peer.example',
    port: 8080,
    authority: 'peer.example:8080',
    pathname: '/a/b',
    search: '?c=d',
  });
  const v6 = parseAbsoluteForm('https://[::1]:443/x');
  assert.deepEqual([v6.hostname, v6.port, v6.authority], ['::1', 443, '[::1]']);
});

test('bad absolute-form and CONNECT targets are GatewayErrors naming the field', () => {
  for (const bad of ['http://u:p@peer.example/', 'http://', 'http://exa mple/']) {
    assert.throws(() => parseAbsoluteForm(bad), GatewayError, bad);
  }
  for (const bad of [
    'peer.example',
    'peer.example:0',
    'peer.example:70000',
    ':443',
    'a b:443',
    '',
  ]) {
    assert.throws(
      () => parseConnectAuthority(bad),
      (e: unknown) => e instanceof GatewayError && e.issues[0]?.field === 'authority',
      bad,
    );
  }
  assert.deepEqual(parseConnectAuthority('Peer.Example.:8443'), {
    hostname: 'peer.example',
    port: 8443,
  });
  assert.deepEqual(parseConnectAuthority('[::1]:443'), { hostname: '::1', port: 443 });
});

test('inside a tunnel the CONNECT authority wins over whatever the request line says', () => {
  const t = tunnelTarget(
    { hostname: 'peer.example', port: 443 },
    'https',
    'http://evil.example/x?y=1',
  );
  assert.deepEqual([t.authority, t.pathname, t.search], ['peer.example', '/x', '?y=1']);
  const odd = tunnelTarget({ hostname: '::1', port: 8443 }, 'https', '/a');
  assert.equal(odd.authority, '[::1]:8443');
});

test('self targets: configured URLs, loopback spellings of the listener, the public URL', () => {
  const self = new SelfTargets({
    internalUrls: ['http://gw-internal.example:9300'],
    publicUrl: 'https://cloud.example.org',
  });
  const local = { address: '127.0.0.1', port: 9300 };
  const at = (url: string) => self.classify(parseAbsoluteForm(url), local);
  assert.equal(at('http://gw-internal.example:9300/peers/x/status.php'), 'internal');
  assert.equal(at('http://localhost:9300/anything'), 'internal');
  assert.equal(at('http://[::1]:9300/anything'), 'internal');
  assert.equal(at('http://127.0.0.1:9301/anything'), undefined);
  assert.equal(at('https://cloud.example.org/peers/x/status.php'), 'internal');
  assert.equal(at('https://cloud.example.org/status.php'), 'public');
  assert.equal(
    at('http://cloud.example.org/status.php'),
    undefined,
    'port 80 is not the public URL',
  );
  assert.equal(at('https://peer.example/status.php'), undefined);
  // A listener on a routable address is not reachable as 127.0.0.1.
  const routable = { address: '192.0.2.10', port: 9300 };
  assert.equal(self.classify(parseAbsoluteForm('http://127.0.0.1:9300/'), routable), undefined);
  assert.equal(self.classify(parseAbsoluteForm('http://192.0.2.10:9300/'), routable), 'internal');
  assert.equal(
    self.classify(parseAbsoluteForm('http://127.0.0.1:9300/'), {
      address: '::ffff:127.0.0.1',
      port: 9300,
    }),
    'internal',
  );
});
