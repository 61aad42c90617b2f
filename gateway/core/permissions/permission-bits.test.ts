import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SHARE_PERMISSIONS } from '../model/index.ts';
import {
  ALL_PERMISSION_BITS,
  isLosslessPermissionBits,
  permissionBitsToNames,
  permissionNamesToBits,
  readPermissionNames,
} from './permission-bits.ts';

describe('permission bits ↔ OCM names', () => {
  test('the reference table: read 1, write 2|4, share 16, delete dropped', () => {
    assert.deepEqual(permissionBitsToNames(1), ['read']);
    assert.deepEqual(permissionBitsToNames(2), ['write']);
    assert.deepEqual(permissionBitsToNames(4), ['write']);
    assert.deepEqual(permissionBitsToNames(8), []);
    assert.deepEqual(permissionBitsToNames(16), ['share']);
    assert.deepEqual(permissionBitsToNames(ALL_PERMISSION_BITS), ['read', 'write', 'share']);
    assert.equal(permissionNamesToBits(['write']), 6);
    assert.equal(permissionNamesToBits(['read', 'write', 'share']), 23);
  });

  test('fixture values: legacy-permissions.json 19 and legacy-reshare.json 17', () => {
    assert.deepEqual(permissionBitsToNames(19), ['read', 'write', 'share']);
    assert.equal(permissionNamesToBits(permissionBitsToNames(19)), 23); // create added: lossy
    assert.deepEqual(permissionBitsToNames(17), ['read', 'share']);
    assert.equal(isLosslessPermissionBits(17), true);
    assert.equal(isLosslessPermissionBits(19), false);
  });

  test('exactly which masks survive bits → names → bits', () => {
    const lossless = [];
    for (let bits = 0; bits <= ALL_PERMISSION_BITS; bits++) {
      if (isLosslessPermissionBits(bits)) lossless.push(bits);
    }
    // no delete bit, and update/create both set or both clear
    assert.deepEqual(lossless, [0, 1, 6, 7, 16, 17, 22, 23]);
  });

  test('property: names → bits → names is the identity (de-duplicated, ordered)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SHARE_PERMISSIONS)), (names) => {
        const expected = SHARE_PERMISSIONS.filter((n) => names.includes(n));
        assert.deepEqual(permissionBitsToNames(permissionNamesToBits(names)), expected);
      }),
    );
  });

  test('property: lossless masks round-trip, lossy ones only lose delete or split write', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ALL_PERMISSION_BITS }), (bits) => {
        const back = permissionNamesToBits(permissionBitsToNames(bits));
        if (isLosslessPermissionBits(bits)) assert.equal(back, bits);
        else assert.equal(back & ~6 & ~8, bits & ~6 & ~8);
      }),
    );
  });

  test('readPermissionNames: exact or Nextcloud case-insensitive, unknown ones reported', () => {
    assert.deepEqual(readPermissionNames(['Write', 'read', 'read', 'x'], false), {
      names: ['read'],
      unknown: ['Write', 'x'],
    });
    assert.deepEqual(readPermissionNames(['Write', 'read'], true), {
      names: ['read', 'write'],
      unknown: [],
    });
  });
});
