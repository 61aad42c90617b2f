/**
 * Issue 9 item 5: nothing internal reaches a peer. Every request a simulator received — target,
 * headers and body — is searched for the backend's and the internal listener's `host:port`.
 */
import assert from 'node:assert/strict';
import type { SimRequest } from '../../sim/index.ts';

export function assertNothingInternal(
  received: readonly SimRequest[],
  internal: readonly string[],
  label: string,
): void {
  assert.ok(received.length > 0, `${label}: the peer received nothing to scan`);
  for (const request of received) {
    const seen = [
      request.target,
      JSON.stringify(request.headers),
      request.rawBody.toString('utf8'),
    ].join('\n');
    let decoded = seen;
    try {
      decoded = decodeURIComponent(seen.replaceAll('+', ' '));
    } catch {
      // not percent-encoded text: the raw form is all there is
    }
    const text = `${seen}\n${decoded}`;
    for (const authority of internal) {
      assert.ok(
        !text.includes(authority),
        `${label}: ${request.method} ${request.path} carries the internal ${authority}`,
      );
    }
  }
}
