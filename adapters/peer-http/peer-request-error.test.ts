import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { PeerRequestError, peerAbortError, peerErrorFromNode } from './peer-request-error.ts';

const nodeError = (code: string) =>
  Object.assign(new Error(`boom ${code} /secret/path?token=x`), { code });

test('Node errors map to failures and catalogue codes, naming only the code', () => {
  const cases: [string, string, string][] = [
    ['ENOTFOUND', 'dns-failed', 'UPSTREAM_UNREACHABLE'],
    ['ECONNREFUSED', 'connect-failed', 'UPSTREAM_UNREACHABLE'],
    ['ECONNRESET', 'connect-failed', 'UPSTREAM_UNREACHABLE'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls-failed', 'UPSTREAM_UNREACHABLE'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls-failed', 'UPSTREAM_UNREACHABLE'],
    ['CERT_HAS_EXPIRED', 'tls-failed', 'UPSTREAM_UNREACHABLE'],
    ['HPE_INVALID_CONSTANT', 'invalid-response', 'UPSTREAM_UNREACHABLE'],
    ['ABORT_ERR', 'aborted', 'UPSTREAM_UNREACHABLE'],
    ['EWHATEVER', 'connect-failed', 'UPSTREAM_UNREACHABLE'],
  ];
  for (const [code, failure, gatewayCode] of cases) {
    const error = peerErrorFromNode(nodeError(code), 'https://peer.example');
    assert.ok(error instanceof GatewayError);
    assert.equal(error.failure, failure, code);
    assert.equal(error.code, gatewayCode, code);
    assert.match(error.message, /^peer https:\/\/peer\.example: /);
    if (failure !== 'aborted') assert.ok(error.message.endsWith(`(${code})`), error.message);
    assert.doesNotMatch(error.message, /secret|token/);
  }
});

test('a PeerRequestError passes through unchanged; status follows the catalogue', () => {
  const refused = new PeerRequestError('address-refused', 'refused', {
    addressClass: 'private',
    address: '10.0.0.1',
  });
  assert.equal(peerErrorFromNode(refused, 'x'), refused);
  assert.equal(refused.status, 403);
  assert.equal(new PeerRequestError('timeout', 't').status, 504);
});

test('abort reasons become errors naming the hop origin', () => {
  const controller = new AbortController();
  controller.abort({ failure: 'timeout', message: 'no complete answer within 5 ms' });
  const error = peerAbortError(controller.signal, 'https://peer.example');
  assert.equal(error.failure, 'timeout');
  assert.equal(error.message, 'peer https://peer.example: no complete answer within 5 ms');
  const plain = new AbortController();
  plain.abort();
  assert.equal(peerAbortError(plain.signal, 'o').failure, 'aborted');
});
