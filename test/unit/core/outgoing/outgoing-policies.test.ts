import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  outboxGivenUp,
  outboxRetryDelayMs,
} from '../../../../gateway/core/outgoing/outbox-backoff.ts';
import { signatureSchemeFor } from '../../../../gateway/core/outgoing/peer-signature-scheme.ts';
import {
  isTransientStatus,
  peerRefusalCode,
} from '../../../../gateway/core/outgoing/peer-refusal.ts';

const policy = { baseMs: 1_000, maxMs: 10_000, giveUpAfterMs: 60_000 };

describe('outbox backoff', () => {
  test('doubles per attempt up to the cap, gives up by age', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 50].map((a) => outboxRetryDelayMs(a, policy)),
      [1_000, 2_000, 4_000, 8_000, 10_000, 10_000],
    );
    assert.equal(outboxGivenUp(0, 59_999, policy), false);
    assert.equal(outboxGivenUp(0, 60_000, policy), true);
  });
});

describe('signature scheme per peer', () => {
  const peer = (over: Partial<Parameters<typeof signatureSchemeFor>[0]> = {}) => ({
    family: 'ocm' as const,
    capabilities: [],
    criteria: [],
    keys: { publicKeys: [] },
    ...over,
  });

  test('RFC 9421 for http-sig / JWKS / publicKeys, cavage for a publicKey, else unsigned', () => {
    assert.equal(signatureSchemeFor(peer({ capabilities: ['http-sig'] }), 'ocm-1.3'), 'rfc9421');
    assert.equal(
      signatureSchemeFor(peer({ keys: { publicKeys: [], jwks: [{}] } }), 'ocm-1.3'),
      'rfc9421',
    );
    assert.equal(
      signatureSchemeFor(peer({ keys: { publicKeys: [], cavage: {} } }), 'ocm-1.2'),
      'cavage',
    );
    assert.equal(signatureSchemeFor(peer(), 'ocm-1.1'), 'unsigned');
    assert.equal(
      signatureSchemeFor(peer({ family: 'legacy', capabilities: ['http-sig'] }), 'ocs-v2'),
      'unsigned',
    );
  });

  test('must-use-http-sig is always honoured', () => {
    assert.equal(
      signatureSchemeFor(peer({ criteria: ['must-use-http-sig'] }), 'ocm-1.3'),
      'rfc9421',
    );
    assert.equal(
      signatureSchemeFor(peer({ criteria: ['must-use-http-sig'] }), 'ocm-1.2'),
      'cavage',
    );
  });
});

describe('peer answers', () => {
  test('transient: 408, 425, 429, 5xx but 501; refusals keep their meaning', () => {
    assert.deepEqual([400, 401, 404, 408, 429, 500, 503].map(isTransientStatus), [
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    assert.equal(peerRefusalCode(403), 'FORBIDDEN');
    assert.equal(peerRefusalCode(501), 'NOT_IMPLEMENTED');
    assert.equal(peerRefusalCode(418), 'INVALID_REQUEST');
  });
});
