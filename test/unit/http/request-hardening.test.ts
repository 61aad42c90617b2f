import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  inspectRequest,
  type InspectedRequest,
} from '../../../gateway/http/middleware/request-hardening.ts';

function request(overrides: Partial<InspectedRequest>): InspectedRequest {
  return {
    method: 'GET',
    url: '/x',
    httpVersionMajor: 1,
    httpVersionMinor: 1,
    rawHeaders: ['Host', 'cloud.example.org'],
    ...overrides,
  };
}

function reason(overrides: Partial<InspectedRequest>): string {
  const inspection = inspectRequest(request(overrides));
  return inspection.ok ? 'ok' : `${inspection.code}:${inspection.reason}`;
}

test('plain requests pass, HTTP/1.0 without Host too', () => {
  assert.equal(reason({}), 'ok');
  assert.equal(reason({ httpVersionMinor: 0, rawHeaders: [] }), 'ok');
  assert.equal(reason({ rawHeaders: ['Host', '[2001:db8::1]:8443'] }), 'ok');
  assert.equal(
    reason({ method: 'POST', rawHeaders: ['Host', 'a', 'Transfer-Encoding', ' Chunked '] }),
    'ok',
  );
  assert.equal(reason({ method: 'POST', rawHeaders: ['Host', 'a', 'content-length', '12'] }), 'ok');
});

test('framing a lenient parser would let through is refused', () => {
  const te = (value: string) => ['Host', 'a', 'Transfer-Encoding', value];
  assert.equal(
    reason({ rawHeaders: ['Host', 'a', 'Content-Length', '1', 'content-length', '1'] }),
    'INVALID_REQUEST:duplicate-content-length',
  );
  assert.equal(
    reason({ rawHeaders: [...te('chunked'), 'Content-Length', '3'] }),
    'INVALID_REQUEST:content-length-and-transfer-encoding',
  );
  assert.equal(
    reason({ rawHeaders: ['Host', 'a', 'Content-Length', '0x10'] }),
    'INVALID_REQUEST:bad-content-length',
  );
  assert.equal(reason({ rawHeaders: te('gzip, chunked') }), 'INVALID_REQUEST:transfer-coding');
  assert.equal(reason({ rawHeaders: te('identity') }), 'INVALID_REQUEST:transfer-coding');
  assert.equal(
    reason({ rawHeaders: [...te('gzip'), 'Transfer-Encoding', 'chunked'] }),
    'INVALID_REQUEST:transfer-coding',
  );
  assert.equal(
    reason({ httpVersionMinor: 0, rawHeaders: te('chunked') }),
    'INVALID_REQUEST:transfer-encoding-http10',
  );
});

test('Host must be single and well-formed', () => {
  assert.equal(
    reason({ rawHeaders: ['Host', 'a', 'HOST', 'b'] }),
    'INVALID_REQUEST:duplicate-host',
  );
  for (const bad of ['', 'a/b', 'a b', 'user@a', '[::1', 'a:port']) {
    assert.equal(reason({ rawHeaders: ['Host', bad] }), 'INVALID_REQUEST:bad-host', bad);
  }
});

test('versions, methods and target forms', () => {
  assert.equal(reason({ httpVersionMinor: 9, httpVersionMajor: 0 }), 'INVALID_REQUEST:bad-version');
  assert.equal(reason({ httpVersionMajor: 2, httpVersionMinor: 0 }), 'INVALID_REQUEST:bad-version');
  assert.equal(reason({ httpVersionMinor: 2 }), 'INVALID_REQUEST:bad-version');
  assert.equal(reason({ method: 'TRACE' }), 'METHOD_NOT_ALLOWED:method');
  assert.equal(reason({ method: 'CONNECT', url: 'evil:443' }), 'METHOD_NOT_ALLOWED:method');
  assert.equal(reason({ url: 'http://evil/x' }), 'INVALID_REQUEST:absolute-form');
  assert.equal(reason({ url: 'HTTPS://evil/x' }), 'INVALID_REQUEST:absolute-form');
  assert.equal(reason({ url: '*' }), 'INVALID_REQUEST:asterisk-form');
  assert.equal(reason({ url: 'x/y' }), 'INVALID_REQUEST:bad-target');
  assert.equal(reason({ url: '' }), 'INVALID_REQUEST:bad-target');
});

test('the path rules apply and the normalised target is returned', () => {
  assert.equal(reason({ url: '/a/%2e%2e/b' }), 'INVALID_REQUEST:dot-segment');
  assert.deepEqual(inspectRequest(request({ url: '//oc%6D//shares?x=1' })), {
    ok: true,
    target: '/ocm/shares?x=1',
  });
});
