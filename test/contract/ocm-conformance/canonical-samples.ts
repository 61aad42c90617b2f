/** Canonical messages used by the codec, conformance and property tests: one rich example of each. */
import type { CanonicalDiscovery } from '../../../gateway/core/model/canonical-discovery.ts';
import type { CanonicalShare } from '../../../gateway/core/model/canonical-share.ts';
import type { ParseResult } from '../../../gateway/core/model/parse-result.ts';

export function valueOf<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

export const richShare: CanonicalShare = {
  providerId: '7c084226-d9a1-11e6-bf26-cec0c932ce01',
  shareWith: 'bob@receiver.example.org',
  name: 'Project Docs',
  description: 'quarterly numbers',
  owner: 'alice@sender.example.org',
  ownerDisplayName: 'Alice',
  sender: 'carol@sender.example.org',
  senderDisplayName: 'Carol',
  shareType: 'user',
  resourceType: 'folder',
  expiration: 1_900_000_000,
  protocols: {
    webdav: {
      uri: '7c084226',
      sharedSecret: 'hfiuhworzwnur98d3wjiwhr',
      permissions: ['read', 'write'],
      requirements: ['must-exchange-token'],
      accessTypes: ['remote', 'datatx'],
      size: 1024,
    },
    webapp: {
      uri: 'https://sender.example.org/apps/ocm/7c084226',
      permissions: ['read'],
      targets: ['blank'],
      sharedSecret: 'hfiuhworzwnur98d3wjiwhr',
      requirements: ['must-exchange-token'],
      appName: 'Office',
    },
    ssh: { uri: 'extuser@sender.example.org:22/7c084226', accessTypes: ['datatx'] },
    unknown: { talk: { roomId: 'abc' } },
  },
};

export const richDiscovery: CanonicalDiscovery = {
  enabled: true,
  apiVersion: '1.3.0',
  endPoint: 'https://sender.example.org/ocm',
  provider: 'Example Cloud',
  resourceTypes: [
    {
      name: 'file',
      shareTypes: ['user', 'group'],
      protocols: {
        webdav: '/remote.php/dav/ocm/',
        'webdav-receive': { uri: 'relative' },
        webapp: {},
      },
    },
  ],
  capabilities: ['notifications', 'invites', 'exchange-token', 'http-sig', 'enforce-mfa'],
  criteria: ['must-use-http-sig', 'must-exchange-token'],
  publicKeys: [
    {
      keyId: 'https://sender.example.org/ocm#key1',
      publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAA\n-----END PUBLIC KEY-----\n',
      algorithm: 'ed25519',
    },
  ],
  tokenEndPoint: 'https://sender.example.org/ocm/token',
  inviteAcceptDialog: '/ocm/accept',
};
