/**
 * A `lookup` for net.connect that answers only with the addresses the guard already checked:
 * the socket reaches exactly what was judged, and no second DNS query can rebind the name.
 */
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './peer-http-types.ts';

export function pinnedLookup(
  hostname: string,
  checked: readonly ResolvedAddress[],
): LookupFunction {
  return (name, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const answers = checked.filter((a) => wanted === undefined || a.family === wanted);
    const first = answers[0];
    if (name !== hostname || first === undefined) {
      const error = Object.assign(new Error(`no checked address for ${name}`), {
        code: 'ENOTFOUND',
      });
      callback(error, '', 4);
      return;
    }
    if (options.all === true) {
      callback(
        null,
        answers.map((a) => ({ address: a.address, family: a.family })),
      );
      return;
    }
    callback(null, first.address, first.family);
  };
}
