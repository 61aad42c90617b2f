import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backendForRecipient,
  backendsFor,
  normaliseHost,
  recipientDomain,
} from '../../../../gateway/core/routing/backend-routing.ts';

const sales = { id: 'sales', publicHosts: ['sales.example.org'], publicPath: '', userDomains: [] };
const lab = {
  id: 'lab',
  publicHosts: ['edge.example.org', 'lab.example.org:8443'],
  publicPath: '',
  userDomains: ['lab.example.org'],
};
const hr = {
  id: 'hr',
  publicHosts: ['edge.example.org'],
  publicPath: '',
  userDomains: ['hr.example.org'],
};
const wiki = {
  id: 'wiki',
  publicHosts: ['edge.example.org'],
  publicPath: '/wiki',
  userDomains: [],
};
const all = [sales, lab, hr, wiki];

test('normaliseHost: lower case, no trailing dot, no default port', () => {
  assert.equal(normaliseHost('Sales.Example.ORG.'), 'sales.example.org');
  assert.equal(normaliseHost('sales.example.org:443'), 'sales.example.org');
  assert.equal(normaliseHost('sales.example.org.:80'), 'sales.example.org');
  assert.equal(normaliseHost('127.0.0.1:9200'), '127.0.0.1:9200');
  assert.equal(normaliseHost('[::1]:9200'), '[::1]:9200');
});

test('the Host header picks the backend; ports other than 80/443 must match', () => {
  assert.deepEqual(
    backendsFor(all, 'SALES.example.org', '/ocm/shares').map((b) => b.id),
    ['sales'],
  );
  assert.deepEqual(
    backendsFor(all, 'lab.example.org:8443', '/').map((b) => b.id),
    ['lab'],
  );
  assert.deepEqual(backendsFor(all, 'lab.example.org:9000', '/'), []);
  assert.deepEqual(backendsFor(all, 'unknown.example', '/'), []);
  assert.deepEqual(backendsFor(all, undefined, '/'), []);
  assert.deepEqual(backendsFor(all, '', '/'), []);
});

test('on a shared host the longest public-URL path wins, else every root backend in order', () => {
  assert.deepEqual(
    backendsFor(all, 'edge.example.org', '/wiki/ocm/shares').map((b) => b.id),
    ['wiki'],
  );
  assert.deepEqual(
    backendsFor(all, 'edge.example.org', '/wikipedia').map((b) => b.id),
    ['lab', 'hr'],
  );
  assert.deepEqual(
    backendsFor(all, 'edge.example.org', '/ocm/shares').map((b) => b.id),
    ['lab', 'hr'],
  );
  // A host served only below a sub-path does not catch the root.
  assert.deepEqual(backendsFor([wiki], 'edge.example.org', '/ocm/shares'), []);
});

test("the recipient's domain picks among backends sharing a host", () => {
  const candidates = [lab, hr];
  assert.equal(backendForRecipient(candidates, 'carol@hr.example.org')?.id, 'hr');
  assert.equal(backendForRecipient(candidates, 'Bob@LAB.example.org')?.id, 'lab');
  // A user whose id has an @ of its own: the domain is after the last one.
  assert.equal(backendForRecipient(candidates, 'bob@home@hr.example.org')?.id, 'hr');
  // A public host counts as a users' domain too.
  assert.equal(backendForRecipient(candidates, 'dave@edge.example.org')?.id, 'lab');
  assert.equal(backendForRecipient(candidates, 'eve@other.example'), undefined);
  assert.equal(backendForRecipient(candidates, 42), undefined);
  assert.equal(recipientDomain('nobody@'), undefined);
  assert.equal(recipientDomain('@host'), undefined);
});
