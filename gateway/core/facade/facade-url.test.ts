import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  defaultFacadeBaseUrl,
  facadeUrlFor,
  matchFacadePath,
  normalisePeerHost,
  peerHostOf,
  peerPathOf,
} from './index.ts';

function url(host: string, base = 'http://127.0.0.1:9300'): string {
  const r = facadeUrlFor(host, base);
  assert.ok(r.ok, `${host}: ${JSON.stringify(r)}`);
  return r.value;
}

describe('facadeUrlFor', () => {
  test('a peer install sub-path goes after the host; climbing or odd paths are refused', () => {
    const at = (path: string) => facadeUrlFor('peer.example', 'http://gw:9300', path);
    assert.deepEqual(at('/nextcloud'), {
      ok: true,
      value: 'http://gw:9300/peers/peer.example/nextcloud/',
    });
    assert.deepEqual(at('/a/b/'), { ok: true, value: 'http://gw:9300/peers/peer.example/a/b/' });
    assert.deepEqual(at(''), { ok: true, value: 'http://gw:9300/peers/peer.example/' });
    for (const bad of ['nextcloud', '/../x', '/a/./b', '/a?b', '/a#b', '/a b', '//x']) {
      const r = at(bad);
      assert.ok(!r.ok, bad);
      assert.equal(r.issues[0]?.field, 'peerPath');
    }
    const back = matchFacadePath('/peers/peer.example/nextcloud/ocs/v2.php/cloud/shares');
    assert.deepEqual(back, {
      peerHost: 'peer.example',
      rest: '/nextcloud/ocs/v2.php/cloud/shares',
    });
  });

  test('<base>/peers/<host[:port]>/, lower-cased, trailing slash', () => {
    assert.equal(url('Cloud.Example.ORG'), 'http://127.0.0.1:9300/peers/cloud.example.org/');
    assert.equal(url('peer.example:8443'), 'http://127.0.0.1:9300/peers/peer.example:8443/');
    assert.equal(url('peer', 'http://gw.internal:9300/'), 'http://gw.internal:9300/peers/peer/');
    assert.equal(url('peer.example:443'), 'http://127.0.0.1:9300/peers/peer.example/');
    assert.equal(url('[::1]:80'), 'http://127.0.0.1:9300/peers/[::1]/');
    assert.equal(url('peer', 'https://gw/sub//'), 'https://gw/sub/peers/peer/');
  });

  test('IPv6 hosts are bracketed, with or without port', () => {
    assert.equal(url('::1'), 'http://127.0.0.1:9300/peers/[::1]/');
    assert.equal(url('[::1]:9200'), 'http://127.0.0.1:9300/peers/[::1]:9200/');
    assert.equal(url('[FD00::AB]'), 'http://127.0.0.1:9300/peers/[fd00::ab]/');
  });

  test('refuses paths, users, bad ports and bad bases with the field named', () => {
    for (const bad of ['', 'a/b', 'u@host', 'host:99999', 'host:x', 'a b']) {
      const r = facadeUrlFor(bad, 'http://127.0.0.1:9300');
      assert.ok(!r.ok, bad);
      assert.equal(r.issues[0]?.field, 'peerHost');
    }
    const r = facadeUrlFor('peer', '/relative');
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.field, 'facadeBaseUrl');
  });

  test('property: matchFacadePath reads back the host facadeUrlFor wrote', () => {
    const host = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV6().map((v) => `[${v}]`),
      fc.tuple(fc.domain(), fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `${h}:${p}`),
    );
    fc.assert(
      fc.property(host, (h) => {
        const written = facadeUrlFor(h, 'http://127.0.0.1:9300');
        if (!written.ok) return true;
        const path = new URL(written.value).pathname;
        const read = matchFacadePath(`${path}ocs/v2.php/cloud/shares`);
        assert.ok(read !== undefined, written.value);
        const expected = normalisePeerHost(h);
        assert.ok(expected.ok);
        assert.equal(read.peerHost, expected.value);
        assert.equal(read.rest, '/ocs/v2.php/cloud/shares');
        return true;
      }),
    );
  });
});

describe('matchFacadePath', () => {
  test('splits host and rest, below an optional base path', () => {
    assert.deepEqual(matchFacadePath('/peers/peer.example/status.php'), {
      peerHost: 'peer.example',
      rest: '/status.php',
    });
    assert.deepEqual(matchFacadePath('/gw/peers/[::1]:8080/', '/gw/'), {
      peerHost: '[::1]:8080',
      rest: '/',
    });
    assert.deepEqual(matchFacadePath('/peers/Peer.Example'), {
      peerHost: 'peer.example',
      rest: '/',
    });
    assert.equal(matchFacadePath('/status.php'), undefined);
    assert.equal(matchFacadePath('/peers/%zz/x'), undefined);
    assert.equal(matchFacadePath('/peers/a%2Fb/x'), undefined);
  });
});

describe('defaultFacadeBaseUrl', () => {
  test('facade.baseUrl wins, without its trailing slash', () => {
    assert.equal(
      defaultFacadeBaseUrl({ baseUrl: 'https://gw.lan:9300/', host: '0.0.0.0', internalPort: 1 }),
      'https://gw.lan:9300',
    );
  });

  test('wildcard binds become loopback; other hosts are used as given', () => {
    for (const host of ['0.0.0.0', '::', '[::]']) {
      assert.equal(defaultFacadeBaseUrl({ host, internalPort: 9300 }), 'http://127.0.0.1:9300');
    }
    assert.equal(
      defaultFacadeBaseUrl({ host: '127.0.0.1', internalPort: 9301 }),
      'http://127.0.0.1:9301',
    );
    assert.equal(defaultFacadeBaseUrl({ host: '::1', internalPort: 9300 }), 'http://[::1]:9300');
    assert.equal(
      defaultFacadeBaseUrl({ host: '10.0.0.5', internalPort: 9300 }),
      'http://10.0.0.5:9300',
    );
  });
});

describe('peerHostOf', () => {
  test('the host key of a cloud id or URL, sub-path and default ports dropped', () => {
    const of = (a: string) => {
      const r = peerHostOf(a);
      return r.ok ? r.value : `refused ${r.issues[0]?.field ?? ''}`;
    };
    assert.equal(of('alice@Peer.Example.net'), 'peer.example.net');
    assert.equal(of('alice@https://peer.example.net/nextcloud'), 'peer.example.net');
    assert.equal(of('alice@peer.example.net:8443/nc'), 'peer.example.net:8443');
    assert.equal(of('john@example.org@cloud.example.com'), 'cloud.example.com');
    assert.equal(of('https://peer.example.net:443/ocm'), 'peer.example.net');
    assert.equal(of('http://[::1]:9200/'), '[::1]:9200');
    assert.equal(of('no-at-sign'), 'refused peer');
    assert.equal(of('ftp://x/'), 'refused peer');
  });
});

describe('peerPathOf', () => {
  test('the sub-path of the first address on the peer host, sender before owner', () => {
    assert.equal(peerPathOf(['carol@peer.example/nextcloud'], 'peer.example'), '/nextcloud');
    assert.equal(
      peerPathOf(
        ['carol@https://peer.example:8443/nc/', 'x@peer.example/other'],
        'peer.example:8443',
      ),
      '/nc',
    );
    // The sender sits on another host (a reshare): the owner's path on this host is used.
    assert.equal(
      peerPathOf(['dave@elsewhere.example/a', 'carol@peer.example/b'], 'peer.example'),
      '/b',
    );
    assert.equal(peerPathOf(['carol@peer.example'], 'peer.example'), '');
    assert.equal(peerPathOf(['carol@other.example/nc'], 'peer.example'), '');
    assert.equal(peerPathOf(['not an address'], 'peer.example'), '');
  });
});
