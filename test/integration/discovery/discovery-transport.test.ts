/** Discovery's scheme order and the SSRF guard, with a TLS peer under a test CA and a fake resolver. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeLookup, TEST_CA } from '../peer-http/peer-test-server.ts';
import { discoveryKit, fixtureBody, reference, sendJson } from './discovery-harness.ts';

const kit = discoveryKit();
after(() => kit.close());

const doc = () => fixtureBody('discovery-ocm-provider-nextcloud14');

describe('https first', () => {
  test('an https peer is discovered over https with its name pinned to the checked address', async () => {
    const s = await kit.server(
      { '/.well-known/ocm': (_q, res) => sendJson(res, doc()) },
      { tls: true },
    );
    const dns = fakeLookup({ 'peer.example': [['127.0.0.1']] });
    const discovery = kit.discovery({
      allowPrivatePeers: false,
      allowlistedHosts: ['peer.example'],
      extraCaCerts: [TEST_CA],
      lookup: dns.lookup,
      allowHttp: false,
    });
    const out = await discovery.discover(reference(`bob@peer.example:${s.port}`));
    assert.ok(out.ok, JSON.stringify(out));
    assert.equal(out.capabilities.baseUrl, `https://peer.example:${s.port}`);
    assert.equal(s.requests[0]?.servername, 'peer.example');
  });

  test('a scheme-less plain-http peer is not tried over http unless allowed', async () => {
    const s = await kit.server({ '/.well-known/ocm': (_q, res) => sendJson(res, doc()) });
    const refused = await kit
      .discovery({ allowHttp: false })
      .discover(reference(`127.0.0.1:${s.port}`));
    assert.ok(!refused.ok);
    assert.equal(refused.failure.reason, 'unreachable');
    assert.ok(refused.attempts.every((a) => a.url.startsWith('https://')));
    assert.equal(s.requests.length, 0);

    const allowed = await kit
      .discovery({ allowHttp: true })
      .discover(reference(`127.0.0.1:${s.port}`));
    assert.ok(allowed.ok);
    const [first] = allowed.attempts;
    assert.equal(first?.url, `https://127.0.0.1:${s.port}/.well-known/ocm`);
    assert.equal(first.outcome, 'failed');
    assert.equal(allowed.capabilities.baseUrl, `http://127.0.0.1:${s.port}`);
  });

  test('a peer that answers https is never downgraded to http, even where http is allowed', async () => {
    const s = await kit.server({}, { tls: true });
    const dns = fakeLookup({ 'peer.example': [['127.0.0.1']] });
    const out = await kit
      .discovery({ extraCaCerts: [TEST_CA], lookup: dns.lookup, allowHttp: true })
      .discover(reference(`peer.example:${s.port}`));
    assert.ok(!out.ok);
    assert.equal(out.failure.reason, 'no-document');
    assert.equal(out.attempts.length, 5);
    assert.ok(out.attempts.every((a) => a.url.startsWith('https://')));
  });
});

describe('SSRF guard', () => {
  test('a loopback peer is refused when private peers are not allowed; it never sees a connection', async () => {
    const s = await kit.server(
      { '/.well-known/ocm': (_q, res) => sendJson(res, doc()) },
      { tls: true },
    );
    const out = await kit
      .discovery({ allowPrivatePeers: false, allowHttp: false })
      .discover(reference(`alice@127.0.0.1:${s.port}`));
    assert.ok(!out.ok);
    assert.equal(out.failure.reason, 'refused');
    assert.equal(out.failure.code, 'FORBIDDEN');
    assert.match(out.failure.message, /loopback/);
    assert.equal(out.attempts.length, 1, 'no other URL is tried');
    assert.equal(s.connections(), 0);
  });

  test('a name resolving to the cloud metadata address is refused before connecting', async () => {
    const dns = fakeLookup({ 'evil.example': [['169.254.169.254']] });
    const out = await kit
      .discovery({ allowPrivatePeers: false, lookup: dns.lookup, allowHttp: false })
      .discover(reference('evil.example'));
    assert.ok(!out.ok);
    assert.equal(out.failure.reason, 'refused');
    assert.equal(dns.calls.length, 1);
  });

  test('a denied host is refused without any request', async () => {
    const s = await kit.server({ '/.well-known/ocm': (_q, res) => sendJson(res, doc()) });
    const out = await kit
      .discovery({ deniedHosts: ['127.0.0.1'] })
      .discover(reference(`http://127.0.0.1:${s.port}`));
    assert.ok(!out.ok);
    assert.equal(out.failure.reason, 'refused');
    assert.match(out.failure.message, /deny list/);
    assert.equal(s.connections(), 0);
  });

  test('an unknown host name is "unreachable" after one lookup, not five', async () => {
    const dns = fakeLookup({});
    const out = await kit.discovery({ lookup: dns.lookup }).discover(reference('nowhere.example'));
    assert.ok(!out.ok);
    assert.equal(out.failure.reason, 'unreachable');
    assert.equal(out.attempts.length, 1);
  });
});
