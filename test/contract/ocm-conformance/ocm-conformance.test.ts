// Every OCM message the codecs write validates against the OpenAPI schema of its version
// (spec files read from <repo>/../shared/ocm-spec). Schema defects are repaired in
// spec-repairs.ts, each with its reason; where the published schema is broken, the spec's own
// examples are checked too (against the repair, and through the codecs).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MessageCodec, MessageKind } from '../../../gateway/core/model/codec.ts';
import type { JsonValue } from '../../../gateway/core/model/json-value.ts';
import { ocm11Codec } from '../../../gateway/core/dialects/ocm-1.1/ocm-1-1-codec.ts';
import { ocm12Codec } from '../../../gateway/core/dialects/ocm-1.2/ocm-1-2-codec.ts';
import * as arb from './canonical-arbitraries.ts';
import { richDiscovery, richShare } from './canonical-samples.ts';
import { OCM_DIALECTS_UNDER_TEST } from './ocm-dialects-under-test.ts';
import { v10Validator, v11Validator, v12Validator, v13Validator } from './spec-repairs.ts';
import { SPEC_FILES, SpecValidator, specDefinitions } from './spec-schemas.ts';
import type { OcmDialectId } from '../../../gateway/core/model/dialect-id.ts';

const RUNS = { numRuns: 80 };

const VALIDATORS: Readonly<Record<OcmDialectId, () => SpecValidator>> = {
  'ocm-proposal1': v10Validator,
  'ocm-1.0': v10Validator,
  'ocm-1.1': v11Validator,
  'ocm-1.2': v12Validator,
  'ocm-1.3': v13Validator,
};

/** Which schema each call's body is checked against; absent = the spec defines none. */
const SCHEMA_OF: Partial<Record<MessageKind, string>> = {
  shareCreate: 'NewShare',
  shareCreated: 'ShareCreated',
  notification: 'NewNotification',
  discovery: 'Discovery',
  inviteAccepted: 'AcceptedInvite',
  inviteAcceptedReply: 'AcceptedInviteResponse',
  tokenRequest: 'TokenRequest',
  tokenResponse: 'TokenResponse',
  error: 'Error',
};

const ARBITRARY_OF: Partial<Record<MessageKind, fc.Arbitrary<unknown>>> = {
  shareCreate: arb.share,
  shareCreated: arb.shareCreated,
  notification: arb.notification,
  discovery: arb.discovery,
  inviteAccepted: arb.inviteAcceptance,
  inviteAcceptedReply: arb.inviteAcceptedReply,
  tokenRequest: arb.tokenRequest,
  tokenResponse: arb.tokenResponse,
  error: arb.ocmError,
};

for (const { name, codec, rules } of OCM_DIALECTS_UNDER_TEST) {
  const validator = VALIDATORS[rules.id]();
  describe(`${name} output validates against its OpenAPI schema`, () => {
    for (const [kind, schema] of Object.entries(SCHEMA_OF) as [MessageKind, string][]) {
      const message = codec[kind] as MessageCodec<unknown, JsonValue> | undefined;
      const canonical = ARBITRARY_OF[kind];
      if (message === undefined || canonical === undefined) continue;
      if (!(schema in validator.definitions)) {
        test(`${kind}: the spec defines no ${schema} schema (v1.0 has no discovery)`, () => {
          assert.ok(['ocm-proposal1', 'ocm-1.0'].includes(rules.id));
        });
        continue;
      }
      if (kind === 'shareCreated' && rules.shareCreated.body === 'empty-array') {
        test('shareCreated: written as [] like ownCloud 10 itself, which the spec does not allow', () => {
          assert.deepEqual(validator.errors(schema, []).length > 0, true);
        });
        continue;
      }
      test(`${kind} → ${schema}`, () => {
        let checked = 0;
        fc.assert(
          fc.property(canonical, (value) => {
            const wire = message.serialise(value);
            if (!wire.ok) return;
            checked += 1;
            const body =
              kind === 'error' && JSON.stringify(wire.value).includes('validationErrors')
                ? '400'
                : schema;
            assert.deepEqual(validator.errors(body, wire.value), [], JSON.stringify(wire.value));
          }),
          RUNS,
        );
        assert.ok(checked > RUNS.numRuns / 4, `only ${String(checked)} values could be written`);
      });
    }
    test('the rich samples validate', () => {
      const share = codec.shareCreate!.serialise(richShare);
      if (share.ok) assert.deepEqual(validator.errors('NewShare', share.value), []);
      const doc = codec.discovery!.serialise(richDiscovery);
      if (doc.ok && 'Discovery' in validator.definitions)
        assert.deepEqual(validator.errors('Discovery', doc.value), []);
    });
  });
}

const minimalShare = {
  shareWith: '51dc30ddc473d43a6011e9ebba6ca770@geant.org',
  name: 'resource.txt',
  providerId: '7c084226',
  owner: '6358b71804dfa8ab069cf05ed1b0ed2a@apiwise.nl',
  sender: '527bd5b5d689e2c32ae974c6229ff785@apiwise.nl',
  shareType: 'user',
  resourceType: 'file',
};

function protocolExamples(file: string): [string, unknown][] {
  const protocol = (
    specDefinitions(file).NewShare!.properties as Record<string, Record<string, unknown>>
  ).protocol!;
  const examples = protocol.example as Record<string, unknown> | undefined;
  assert.ok(examples !== undefined, `${file} has protocol examples`);
  return Object.entries(examples);
}

describe('published schema defects, checked against the spec examples', () => {
  for (const [file, repaired, codec] of [
    [SPEC_FILES.v1_1, v11Validator(), ocm11Codec],
    [SPEC_FILES.pre1_2, v12Validator(), ocm12Codec],
  ] as const) {
    test(`${file}: the protocol schema as published rejects its own examples; the repair accepts them`, () => {
      const asPublished = new SpecValidator(file, specDefinitions(file));
      for (const [example, protocol] of protocolExamples(file)) {
        const share = { ...minimalShare, permission: 'n/a', protocol };
        assert.ok(
          asPublished.errors('NewShare', share).some((e) => e.startsWith('/protocol')),
          `${example} rejected as published`,
        );
        const parsed = codec.shareCreate!.parse(share);
        assert.ok(parsed.ok, `${example}: ${JSON.stringify(parsed)}`);
        // Two defects of the examples themselves: v1.1 multipleProtocols has `options:` with no
        // value (null); pre-1.2 singleProtocolNew has `requirements: ["none"]`, in no enum.
        const { options, ...rest } = protocol as Record<string, unknown>;
        const errors = repaired.errors('NewShare', {
          ...share,
          protocol: options === null ? rest : protocol,
        });
        if (example === 'singleProtocolNew' && file === SPEC_FILES.pre1_2) {
          assert.deepEqual(errors, [
            '/protocol/webdav/requirements/0 must be equal to one of the allowed values',
          ]);
        } else assert.deepEqual(errors, [], example);
      }
    });
  }

  test('1.2.2+ examples: singleProtocolNew validates; multipleProtocols still says mfa-enforced', () => {
    const validator = new SpecValidator(
      SPEC_FILES.v1_2_2plus,
      specDefinitions(SPEC_FILES.v1_2_2plus),
    );
    const examples = Object.fromEntries(protocolExamples(SPEC_FILES.v1_2_2plus));
    assert.deepEqual(
      validator.errors('NewShare', { ...minimalShare, protocol: examples.singleProtocolNew }),
      [],
    );
    assert.ok(
      validator.errors('NewShare', { ...minimalShare, protocol: examples.multipleProtocols })
        .length > 0,
    );
    // ssh is a 1.3 protocol: the 1.2 codec reads it leniently, with a warning.
    const parsed = ocm12Codec.shareCreate!.parse({
      ...minimalShare,
      protocol: examples.multipleProtocols,
    });
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.value.protocols.webdav?.requirements, ['must-use-mfa']);
  });

  test('notification examples parse strictly and are written back unchanged', () => {
    for (const file of [SPEC_FILES.pre1_2, SPEC_FILES.v1_2_2plus]) {
      const examples = specDefinitions(file).NewNotification!.example as Record<string, unknown>;
      for (const [example, body] of Object.entries(examples)) {
        const parsed = ocm12Codec.notification!.parse(body, { mode: 'strict' });
        assert.ok(parsed.ok, `${file} ${example}`);
        const written = ocm12Codec.notification!.serialise(parsed.value);
        assert.ok(written.ok);
        assert.deepEqual(written.value, body);
      }
    }
  });
});
