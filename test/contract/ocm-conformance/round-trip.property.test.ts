// Property: canonical → dialect wire → canonical keeps every field the dialect can carry; what it
// cannot carry is documented in dialect-projections.ts (and in docs/dialects.md "cannot carry").
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MessageCodec } from '../../../gateway/core/model/codec.ts';
import type { JsonValue } from '../../../gateway/core/model/json-value.ts';
import {
  normaliseCapabilities,
  normaliseCriteria,
} from '../../../gateway/core/dialects/ocm-common/capability-names.ts';
import * as arb from './canonical-arbitraries.ts';
import * as project from './dialect-projections.ts';
import { OCM_DIALECTS_UNDER_TEST } from './ocm-dialects-under-test.ts';

const RUNS = { numRuns: 120 };

/** The wire is JSON text: -0 becomes 0 and prototypes do not travel, so compare in that shape. */
function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** serialise then parse (lenient); `expected` undefined means serialise must refuse. */
function roundTrip<C>(codec: MessageCodec<C, JsonValue>, value: C, expected: C | undefined): void {
  const wire = codec.serialise(value);
  if (expected === undefined) {
    assert.ok(!wire.ok, `serialise should refuse: ${JSON.stringify(wire)}`);
    return;
  }
  assert.ok(wire.ok, `serialise failed: ${JSON.stringify(wire)}`);
  // Through JSON text, as on the wire.
  const parsed = codec.parse(JSON.parse(JSON.stringify(wire.value)));
  assert.ok(parsed.ok, `parse failed: ${JSON.stringify(parsed)} for ${JSON.stringify(wire.value)}`);
  assert.deepEqual(parsed.value, asJson(expected));
}

for (const { name, codec, rules } of OCM_DIALECTS_UNDER_TEST) {
  describe(`${name} round trip`, () => {
    test('share', () => {
      fc.assert(
        fc.property(arb.share, (s) =>
          roundTrip(codec.shareCreate!, s, project.projectShare(s, rules)),
        ),
        RUNS,
      );
    });
    test('share 201 answer', () => {
      fc.assert(
        fc.property(arb.shareCreated, (c) =>
          roundTrip(codec.shareCreated!, c, project.projectShareCreated(c, rules)),
        ),
        RUNS,
      );
    });
    test('notification and its reply', () => {
      fc.assert(
        fc.property(arb.notification, (n) =>
          roundTrip(codec.notification!, n, project.projectNotification(n, rules)),
        ),
        RUNS,
      );
      fc.assert(
        fc.property(arb.notificationReply, (r) =>
          roundTrip(codec.notificationReply!, r, project.projectNotificationReply(r)),
        ),
        RUNS,
      );
    });
    test('discovery (raw capability spellings normalise back)', () => {
      fc.assert(
        fc.property(arb.discovery, (doc) => {
          const wire = codec.discovery!.serialise(doc);
          assert.ok(wire.ok);
          const parsed = codec.discovery!.parse(JSON.parse(JSON.stringify(wire.value)));
          assert.ok(parsed.ok, JSON.stringify(parsed));
          const { capabilitiesRaw, criteriaRaw, ...rest } = parsed.value;
          assert.deepEqual(rest, asJson(project.projectDiscovery(doc, rules)));
          assert.deepEqual(normaliseCapabilities(capabilitiesRaw ?? []), rest.capabilities);
          assert.deepEqual(normaliseCriteria(criteriaRaw ?? []), rest.criteria);
        }),
        RUNS,
      );
    });
    test('error body', () => {
      fc.assert(
        fc.property(arb.ocmError, (e) => roundTrip(codec.error!, e, e)),
        RUNS,
      );
    });
    if (rules.invite !== 'none') {
      test('invite acceptance and reply', () => {
        fc.assert(
          fc.property(arb.inviteAcceptance, (i) =>
            roundTrip(codec.inviteAccepted!, i, project.projectInvite(i, rules)),
          ),
          RUNS,
        );
        fc.assert(
          fc.property(arb.inviteAcceptedReply, (r) => roundTrip(codec.inviteAcceptedReply!, r, r)),
          RUNS,
        );
      });
    }
    if (rules.token !== 'none') {
      test('token request, response', () => {
        fc.assert(
          fc.property(arb.tokenRequest, (t) =>
            roundTrip(codec.tokenRequest!, t, project.projectTokenRequest(t, rules)),
          ),
          RUNS,
        );
        fc.assert(
          fc.property(arb.tokenResponse, (t) =>
            roundTrip(codec.tokenResponse!, t, project.projectTokenResponse(t, rules)),
          ),
          RUNS,
        );
      });
    }
    if (rules.oauthErrors) {
      test('OAuth error', () => {
        fc.assert(
          fc.property(arb.oauthError, (e) => roundTrip(codec.tokenError!, e, e)),
          RUNS,
        );
      });
    }
  });
}
