import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimedPeerHost } from './claimed-peer-host.ts';

test('RFC 9421: the keyid of the ocm label, host lower-cased', () => {
  const headers = {
    'signature-input':
      'other=("@method");keyid="x.example#k", ocm=("@method" "@target-uri");created=1;keyid="Sender.Example.org#key1"',
  };
  assert.equal(claimedPeerHost(headers), 'sender.example.org');
});

test('RFC 9421 without an ocm label: the first member', () => {
  assert.equal(
    claimedPeerHost({ 'signature-input': 'sig1=("@method");keyid="peer.example:8443#k"' }),
    'peer.example:8443',
  );
});

test('draft-cavage: the keyId URL of a Nextcloud Signature header, default port dropped', () => {
  const signature =
    'keyId="https://nc.example.org:443/nextcloud/ocm#signature",algorithm="rsa-sha256",headers="content-length date digest host",signature="abc="';
  assert.equal(claimedPeerHost({ signature }), 'nc.example.org');
});

test('no claim: absent, unparsable, or two cavage headers', () => {
  assert.equal(claimedPeerHost({}), undefined);
  assert.equal(claimedPeerHost({ 'signature-input': '((((' }), undefined);
  assert.equal(claimedPeerHost({ 'signature-input': 'ocm=("@method")' }), undefined);
  assert.equal(claimedPeerHost({ signature: 'garbage' }), undefined);
  assert.equal(claimedPeerHost({ signature: 'keyId="has space",signature="x"' }), undefined);
  const one = 'keyId="https://a.example/ocm#signature",signature="x"';
  assert.equal(claimedPeerHost({ signature: [one, one] }), undefined);
});
