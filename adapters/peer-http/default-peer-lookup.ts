/** The system resolver, asked once for every address of a name (A and AAAA, resolver order). */
import { lookup } from 'node:dns/promises';
import type { PeerLookup, ResolvedAddress } from './peer-http-types.ts';

export const defaultPeerLookup: PeerLookup = async (hostname) => {
  const answers = await lookup(hostname, { all: true, order: 'verbatim' });
  return answers.map((a): ResolvedAddress => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));
};
