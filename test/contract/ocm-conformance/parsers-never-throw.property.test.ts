// Property: no input — arbitrary JS values, strings, or valid wire bodies with one field replaced by
// anything — makes a parser throw or hit the codec's fault guard; it returns a value or issues.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MESSAGE_KINDS, type MessageCodec } from '../../../gateway/core/model/codec.ts';
import { CODEC_FAULT } from '../../../gateway/core/dialects/ocm-common/ocm-codec.ts';
import * as arb from './canonical-arbitraries.ts';
import { OCM_DIALECTS_UNDER_TEST } from './ocm-dialects-under-test.ts';

const anything = fc.anything({
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withObjectString: true,
  withBigInt: true,
});

function assertHandled(codec: MessageCodec<unknown>, input: unknown): void {
  for (const mode of ['lenient', 'strict'] as const) {
    const result = codec.parse(input, { mode });
    assert.equal(typeof result.ok, 'boolean');
    if (!result.ok) {
      assert.ok(result.issues.length > 0, 'a refusal names at least one issue');
      assert.ok(
        !result.issues.some((i) => i.message === CODEC_FAULT),
        'the codec fault guard caught an exception (see the counterexample)',
      );
    }
  }
}

/** A valid wire body, then one field (top level or one below) replaced by anything. */
function mutated(wire: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(wire, fc.nat(), fc.nat(), anything).map(([body, i, j, replacement]) => {
    if (typeof body !== 'object' || body === null) return body;
    const copy = structuredClone(body) as Record<string, unknown>;
    const keys = Object.keys(copy);
    const key = keys[i % Math.max(keys.length, 1)];
    if (key === undefined) return copy;
    const inner = copy[key];
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner) && j % 2 === 0) {
      const innerKeys = Object.keys(inner);
      const innerKey = innerKeys[j % Math.max(innerKeys.length, 1)];
      if (innerKey !== undefined) (inner as Record<string, unknown>)[innerKey] = replacement;
    } else copy[key] = replacement;
    return copy;
  });
}

for (const { name, codec } of OCM_DIALECTS_UNDER_TEST) {
  describe(`${name} parsers never throw`, () => {
    for (const kind of MESSAGE_KINDS) {
      const message = codec[kind] as MessageCodec<unknown> | undefined;
      if (message === undefined) continue;
      test(`${kind}: arbitrary values and strings`, () => {
        fc.assert(
          fc.property(fc.oneof(anything, fc.string(), fc.json()), (input) => {
            assertHandled(message, input);
          }),
          { numRuns: 150 },
        );
      });
    }
    const samples = [
      ['shareCreate', arb.share],
      ['notification', arb.notification],
      ['discovery', arb.discovery],
      ['inviteAccepted', arb.inviteAcceptance],
      ['tokenResponse', arb.tokenResponse],
    ] as const;
    for (const [kind, canonical] of samples) {
      const message = codec[kind] as MessageCodec<unknown> | undefined;
      if (message === undefined) continue;
      test(`${kind}: valid bodies with one field replaced`, () => {
        const wire = (canonical as fc.Arbitrary<unknown>)
          .map((c) => message.serialise(c))
          .filter((r) => r.ok)
          .map((r) => r.value);
        fc.assert(
          fc.property(mutated(wire), (input) => {
            assertHandled(message, input);
          }),
          { numRuns: 150 },
        );
      });
    }
  });
}
