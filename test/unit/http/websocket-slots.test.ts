import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebSocketSlots } from '../../../gateway/http/websocket-slots.ts';

test('slots: the total limit first, then the address limit; a refusal takes nothing', () => {
  const slots = new WebSocketSlots();
  assert.equal(slots.take('192.0.2.1', 3, 2), undefined);
  assert.equal(slots.take('192.0.2.1', 3, 2), undefined);
  assert.equal(slots.take('192.0.2.1', 3, 2), 'too-many-from-address');
  assert.equal(slots.count('192.0.2.1'), 2);
  assert.equal(slots.take('192.0.2.2', 3, 2), undefined);
  assert.equal(slots.take('192.0.2.3', 3, 2), 'too-many-tunnels');
  assert.equal(slots.count(), 3);
  assert.equal(slots.count('192.0.2.3'), 0);
});

test('slots: a release frees both counts; releasing what was never taken changes nothing', () => {
  const slots = new WebSocketSlots();
  assert.equal(slots.take('2001:db8::1', 1, 1), undefined);
  slots.release('2001:db8::9');
  assert.equal(slots.count(), 1);
  slots.release('2001:db8::1');
  assert.equal(slots.count(), 0);
  assert.equal(slots.count('2001:db8::1'), 0);
  slots.release('2001:db8::1');
  assert.equal(slots.count(), 0);
  assert.equal(slots.take('2001:db8::1', 1, 1), undefined);
});

test('slots: a limit of 0 refuses everything', () => {
  const slots = new WebSocketSlots();
  assert.equal(slots.take('192.0.2.1', 0, 5), 'too-many-tunnels');
  assert.equal(slots.take('192.0.2.1', 5, 0), 'too-many-from-address');
  assert.equal(slots.count(), 0);
});
