/** Test helper: simulators posing as the fixtures' hosts (oc1.example.com, nc.example.org/nextcloud)
 * with all outgoing traffic sent to a closed loopback port, plus fixture assertions. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OutgoingResponse } from '../common/outgoing-http.ts';
import {
  expectedParts,
  replay,
  type Fixture,
  type FixtureResponse,
  type ReplayOptions,
} from './fixture-replay.ts';
import { startLegacyServer, type LegacyServer, type LegacyServerOptions } from './legacy-server.ts';
import type { LegacyFlavour } from './legacy-flavours.ts';

export const OC1 = 'https://oc1.example.com';
export const NC = 'https://nc.example.org/nextcloud';

/** A loopback URL nobody listens on: outgoing calls through it fail at once. */
export async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

export interface FixtureSim {
  sim: LegacyServer;
  fixtureBase: string;
  send: (f: Fixture, o?: Omit<ReplayOptions, 'fixtureBase'>) => Promise<OutgoingResponse>;
}

/** Runs `fn` against a simulator installed at the fixture host `site`, then closes it. */
export async function withFixtureSim(
  flavour: LegacyFlavour,
  site: typeof OC1 | typeof NC,
  fn: (s: FixtureSim) => Promise<void>,
  extra: Partial<LegacyServerOptions> = {},
): Promise<void> {
  const sim = await startLegacyServer({
    flavour,
    basePath: site === NC ? '/nextcloud' : '',
    publicUrl: site,
    proxy: await closedPortUrl(),
    users: { alice: 'Alice', bob: 'Bob', dave: 'Dave' },
    ...extra,
  });
  try {
    await fn({
      sim,
      fixtureBase: site,
      send: (f, o = {}) => replay(sim.url, f, { fixtureBase: site, ...o }),
    });
    await sim.settle();
    assert.deepEqual(sim.errors, [], 'the simulator threw');
  } finally {
    await sim.close();
  }
}

export function assertResponse(res: OutgoingResponse, expected: FixtureResponse): void {
  const { actual, wanted } = expectedParts(res, expected);
  assert.deepEqual(actual, wanted);
}

/** The fixture's folder "Project Docs" with share 42 / token Xy9zA1bC2dE3fG4 on the owner side. */
export function seedOwnerShare42(
  sim: LegacyServer,
  permissions = 31,
  extra: { reshareRemoteId?: string; password?: string } = {},
) {
  sim.addFolder('alice', 'Project Docs');
  return sim.seedShare({
    owner: 'alice',
    path: 'Project Docs',
    shareWith: 'bob@nc.example.org/nextcloud',
    id: 42,
    token: 'Xy9zA1bC2dE3fG4',
    permissions,
    ...extra,
  });
}

/** The recipient side of the same share: share_external row with remote_id 42. */
export function seedReceived42(sim: LegacyServer) {
  return sim.seedReceivedShare({
    remote: `${OC1}/`,
    remoteId: '42',
    token: 'Xy9zA1bC2dE3fG4',
    name: 'Project Docs',
    shareWith: 'bob',
    owner: 'alice',
    ownerFederatedId: 'alice@oc1.example.com',
  });
}
