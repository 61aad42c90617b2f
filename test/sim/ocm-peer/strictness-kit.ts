/** Test helper for the strictness suites: peers on loopback, raw (optionally signed) POSTs. */
import assert from 'node:assert/strict';
import { OutgoingClient, jsonBody } from '../common/outgoing-http.ts';
import { startOcmPeer, type OcmPeer, type OcmPeerOptions } from './ocm-peer.ts';
import { signedHeaders } from './ocm-peer-signing.ts';

export async function withPeers(
  list: OcmPeerOptions[],
  fn: (peers: OcmPeer[]) => Promise<void>,
): Promise<void> {
  const peers = await Promise.all(
    list.map((o) =>
      startOcmPeer({ schemes: ['http'], users: { alice: 'Alice', bob: 'Bob' }, ...o }),
    ),
  );
  try {
    await fn(peers);
    assert.deepEqual(
      peers.flatMap((p) => p.errors),
      [],
    );
  } finally {
    await Promise.all(peers.map((p) => p.close()));
  }
}

export async function post(url: string, body: string, headers: Record<string, string>) {
  const res = await new OutgoingClient().request({ method: 'POST', url, headers, body });
  return { status: res.status, body: jsonBody(res) as Record<string, unknown> };
}

export function sharePayload(
  from: OcmPeer,
  to: OcmPeer,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    shareWith: to.address('bob'),
    name: 'a.txt',
    providerId: 'p-1',
    owner: from.address('alice'),
    sender: from.address('alice'),
    shareType: 'user',
    resourceType: 'file',
    protocol: {
      name: 'multi',
      webdav: { uri: 'k1', sharedSecret: 's3cr3t', permissions: ['read'] },
    },
    ...extra,
  };
}

/** Body + headers signed by `from` for POST <to>/ocm/<path>. */
export function signedPost(from: OcmPeer, to: OcmPeer, path: string, payload: unknown) {
  const url = `${to.endPoint}/${path}`;
  const body = JSON.stringify(payload);
  return { url, body, headers: signedHeaders(from.ctx, url, body, 'application/json') };
}
