import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';
import {
  backendsLaneChooser,
  type LaneBackend,
} from '../../../gateway/http/backends-lane-chooser.ts';
import type { LaneChooser } from '../../../gateway/http/passthrough-lane.ts';

/** A backend whose chooser refuses its own federation paths and names itself otherwise. */
function backend(
  id: string,
  publicHosts: string[],
  publicPath: string,
  federation: string[] = [],
): LaneBackend {
  const choose: LaneChooser = (_req, path) =>
    federation.includes(path)
      ? undefined
      : {
          passthrough: { forward: () => undefined, forwardUpgrade: () => undefined },
          backendTarget: `${id}:${path}`,
        };
  return { id, publicHosts, publicPath, userDomains: [], choose };
}

function request(host: string | undefined): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = host === undefined ? {} : { host };
  return req;
}

const choose = backendsLaneChooser([
  backend('a', ['a.example.org'], ''),
  backend('b', ['b.example.org'], '', ['/ocm/shares']),
  backend('shared-1', ['shared.example.org'], '', ['/ocm/shares']),
  backend('shared-2', ['shared.example.org'], '', ['/ocm/shares', '/public.php/webdav']),
  backend('sub', ['a.example.org'], '/team'),
]);
const chosen = (host: string | undefined, path: string) =>
  choose(request(host), path, path)?.backendTarget;

test('the backend the Host names takes plain pass-through, with its port or other case', () => {
  assert.equal(chosen('a.example.org', '/remote.php/webdav'), 'a:/remote.php/webdav');
  assert.equal(chosen('B.Example.org:443', '/index.php'), 'b:/index.php');
});

test('the longest public path on the host wins, as the Host router chooses', () => {
  assert.equal(chosen('a.example.org', '/team/remote.php'), 'sub:/team/remote.php');
  assert.equal(chosen('a.example.org', '/teams'), 'a:/teams');
});

test('a federation path, an unknown host or no Host stays with the router app', () => {
  assert.equal(chosen('b.example.org', '/ocm/shares'), undefined);
  assert.equal(chosen('c.example.org', '/index.php'), undefined);
  assert.equal(chosen(undefined, '/index.php'), undefined);
});

test('on a shared host the first backend takes plain requests, but any candidate federation path stays', () => {
  assert.equal(chosen('shared.example.org', '/index.php'), 'shared-1:/index.php');
  assert.equal(chosen('shared.example.org', '/ocm/shares'), undefined);
  // Only the second backend serves peers' WebDAV there: the router routes it by credentials.
  assert.equal(chosen('shared.example.org', '/public.php/webdav'), undefined);
});
