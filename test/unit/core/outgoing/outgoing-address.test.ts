import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressForPeer,
  classifyAddress,
  publicRemote,
  type AddressContext,
} from '../../../../gateway/core/outgoing/outgoing-address.ts';
import { legacyFormForPeer } from '../../../../gateway/core/outgoing/legacy-form-for-peer.ts';

const ctx: AddressContext = {
  publicUrl: 'https://cloud.example.org/nc',
  backendUrl: 'http://backend.internal:8080/nc',
  facadeBaseUrl: 'http://gw.internal:9300',
};

describe('classifyAddress / addressForPeer', () => {
  test('the backend on its internal URL or the public one is a local user on the public host', () => {
    for (const address of [
      'alice@backend.internal:8080/nc',
      'alice@http://backend.internal:8080',
      'alice@cloud.example.org/nc',
      'alice@https://cloud.example.org',
    ]) {
      assert.deepEqual(classifyAddress(address, ctx), { kind: 'local', user: 'alice' }, address);
      assert.equal(addressForPeer(address, ctx, 'ocm'), 'alice@cloud.example.org');
      assert.equal(addressForPeer(address, ctx, 'ocm-with-path'), 'alice@cloud.example.org/nc');
      assert.equal(addressForPeer(address, ctx, 'legacy'), 'alice@cloud.example.org/nc');
    }
  });

  test('a user known through the facade gets the peer host', () => {
    for (const address of [
      'carol@gw.internal:9300/peers/peer2.example:8443',
      'carol@http://gw.internal:9300/peers/peer2.example:8443/',
    ]) {
      assert.deepEqual(classifyAddress(address, ctx), {
        kind: 'peer',
        user: 'carol',
        peerHost: 'peer2.example:8443',
      });
      assert.equal(addressForPeer(address, ctx, 'ocm'), 'carol@peer2.example:8443');
    }
  });

  test('foreign users are kept; the OCM style drops scheme and path', () => {
    assert.equal(addressForPeer('dan@https://far.example/owncloud', ctx, 'ocm'), 'dan@far.example');
    assert.equal(
      addressForPeer('dan@http://far.example/owncloud', ctx, 'legacy'),
      'dan@http://far.example/owncloud',
    );
  });

  test('a bare uid is a local user; an http public URL keeps http:// in legacy ids', () => {
    assert.equal(addressForPeer('alice', ctx, 'ocm'), 'alice@cloud.example.org');
    const http = { ...ctx, publicUrl: 'http://127.0.0.1:9200' };
    assert.equal(
      addressForPeer('alice@backend.internal:8080', http, 'legacy'),
      'alice@http://127.0.0.1:9200',
    );
    assert.equal(
      addressForPeer('alice@backend.internal:8080', http, 'ocm'),
      'alice@127.0.0.1:9200',
    );
    assert.equal(publicRemote(http.publicUrl), 'http://127.0.0.1:9200/');
  });
});

describe('legacyFormForPeer', () => {
  test('rewrites remote and federated ids that name internal servers, keeps everything else', () => {
    const body = new URLSearchParams({
      shareWith: 'bob',
      token: 'Xy9zA1bC2dE3fG4',
      name: 'Project Docs',
      remoteId: '42',
      owner: 'alice',
      ownerFederatedId: 'alice@backend.internal:8080/nc',
      sharedBy: 'alice',
      sharedByFederatedId: 'alice',
      remote: 'http://backend.internal:8080/nc/',
    }).toString();
    const out = new URLSearchParams(legacyFormForPeer(body, ctx));
    assert.equal(out.get('remote'), 'https://cloud.example.org/nc/');
    assert.equal(out.get('ownerFederatedId'), 'alice@cloud.example.org/nc');
    assert.equal(out.get('sharedByFederatedId'), 'alice');
    assert.equal(out.get('token'), 'Xy9zA1bC2dE3fG4');
    assert.deepEqual([...out.keys()], [...new URLSearchParams(body).keys()]);
    const foreign = legacyFormForPeer('remote=https%3A%2F%2Fother.example%2F', ctx);
    assert.equal(new URLSearchParams(foreign).get('remote'), 'https://other.example/');
  });
});
