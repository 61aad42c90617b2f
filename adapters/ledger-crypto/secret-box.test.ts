import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { SecretBox } from './secret-box.ts';

const key = 'k'.repeat(40);

describe('SecretBox', () => {
  test('seals into a dir/A256GCM JWE that does not contain the secret, and opens it again', async () => {
    const box = new SecretBox(key);
    const sealed = await box.seal('s3cret-value');
    assert.equal(sealed.split('.').length, 5);
    assert.equal(sealed.split('.')[1], '', 'dir carries no encrypted key');
    assert.ok(!sealed.includes('s3cret-value'));
    const header = JSON.parse(Buffer.from(sealed.split('.')[0]!, 'base64url').toString()) as {
      alg: string;
      enc: string;
      kid: string;
    };
    assert.equal(header.alg, 'dir');
    assert.equal(header.enc, 'A256GCM');
    assert.ok(!header.kid.includes(key.slice(0, 8)));
    assert.equal(await box.open(sealed), 's3cret-value');
  });

  test('two seals of one value differ (random IV)', async () => {
    const box = new SecretBox(key);
    assert.notEqual(await box.seal('x'), await box.seal('x'));
  });

  test('another key cannot open it: INTERNAL without leaking anything', async () => {
    const sealed = await new SecretBox(key).seal('s3cret-value');
    await assert.rejects(new SecretBox('z'.repeat(40)).open(sealed), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'INTERNAL');
      assert.ok(!error.message.includes('s3cret'));
      return true;
    });
  });

  test('a tampered ciphertext is refused', async () => {
    const box = new SecretBox(key);
    const parts = (await box.seal('value')).split('.');
    const ciphertext = Buffer.from(parts[3]!, 'base64url');
    ciphertext[0] = ciphertext[0]! ^ 1;
    parts[3] = ciphertext.toString('base64url');
    await assert.rejects(box.open(parts.join('.')), GatewayError);
  });

  test('the index is a stable keyed hash, separated by purpose and by key', () => {
    const box = new SecretBox(key);
    const a = box.index('share-secret', 'abc');
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(box.index('share-secret', 'abc'), a);
    assert.notEqual(box.index('invite-token', 'abc'), a);
    assert.notEqual(new SecretBox('z'.repeat(40)).index('share-secret', 'abc'), a);
  });

  test('a short key is refused at construction without echoing it', () => {
    assert.throws(
      () => new SecretBox('short-key'),
      (error: unknown) =>
        error instanceof RangeError &&
        /32 characters/.test(error.message) &&
        !error.message.includes('short-key'),
    );
  });

  test('rotation: seals with the current key, opens what any listed key sealed, by its kid', async () => {
    const oldKey = 'o'.repeat(40);
    const old = new SecretBox(oldKey);
    const sealedOld = await old.seal('from before');
    const rotated = new SecretBox(key, [oldKey]);
    assert.equal(rotated.rotating, true);
    assert.equal(await rotated.open(sealedOld), 'from before');
    assert.equal(rotated.sealedWithCurrent(sealedOld), false);
    const sealedNew = await rotated.seal('from after');
    assert.equal(rotated.sealedWithCurrent(sealedNew), true);
    await assert.rejects(old.open(sealedNew), GatewayError);
    assert.equal(await new SecretBox(key).open(sealedNew), 'from after');
    // reseal: a current value is kept as it is; an old one comes back under the current key.
    assert.equal(await rotated.reseal(sealedNew), sealedNew);
    const moved = await rotated.reseal(sealedOld);
    assert.equal(rotated.sealedWithCurrent(moved), true);
    assert.equal(await new SecretBox(key).open(moved), 'from before');
    // A stranger's key opens neither, and a value without a kid is tried with every key.
    await assert.rejects(new SecretBox('s'.repeat(40)).open(sealedOld), GatewayError);
    assert.equal(rotated.sealedWithCurrent('not-a-jwe'), false);
    await assert.rejects(rotated.open('not-a-jwe'), GatewayError);
  });

  test('rotation: indexes lists the current key first, then each previous key once', () => {
    const oldKey = 'o'.repeat(40);
    const rotated = new SecretBox(key, [oldKey, oldKey, key]);
    assert.deepEqual(rotated.indexes('share-secret', 'abc'), [
      new SecretBox(key).index('share-secret', 'abc'),
      new SecretBox(oldKey).index('share-secret', 'abc'),
    ]);
    assert.equal(
      rotated.index('share-secret', 'abc'),
      new SecretBox(key).index('share-secret', 'abc'),
    );
    assert.equal(new SecretBox(key, [key]).rotating, false);
    assert.throws(() => new SecretBox(key, ['short']), RangeError);
  });
});
