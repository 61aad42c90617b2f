import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent as HttpsAgent } from 'node:https';
import { PeerAgentPool } from './peer-agent-pool.ts';

test('one agent per origin, https agents for https, bounded by maxOrigins', () => {
  const pool = new PeerAgentPool({ maxSocketsPerOrigin: 4, maxOrigins: 2, extraCaCerts: [] });
  const a = pool.agentFor('https://a.example:443', true);
  assert.ok(a instanceof HttpsAgent);
  assert.equal(pool.agentFor('https://a.example:443', true), a);
  assert.equal(a.maxSockets, 4);
  pool.agentFor('http://b.example:80', false);
  pool.agentFor('https://c.example:443', true);
  assert.equal(pool.size, 2);
  // a was the least recently used and idle: it was closed and is replaced on next use.
  assert.notEqual(pool.agentFor('https://a.example:443', true), a);
  pool.close();
  assert.equal(pool.size, 0);
});
