import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseDialect } from './choose-dialect.ts';
import { DIALECTS } from '../model/dialect-id.ts';

describe('chooseDialect', () => {
  test('picks the newest dialect both sides speak, whatever the list order', () => {
    const choice = chooseDialect({
      peer: ['ocm-1.2', 'ocs-v2', 'ocm-proposal1'],
      ours: ['ocs-v1', 'ocs-v2', 'ocm-proposal1', 'ocm-1.1'],
    });
    assert.deepEqual(choice, { ok: true, dialect: 'ocm-proposal1', reason: 'best-common' });
  });

  test('a modern peer gets its own newest dialect when we speak everything', () => {
    const choice = chooseDialect({ peer: ['ocm-1.3'], ours: DIALECTS });
    assert.equal(choice.ok && choice.dialect, 'ocm-1.3');
  });

  test('a legacy peer speaking v1 and v2 gets v2', () => {
    const choice = chooseDialect({ peer: ['ocs-v1', 'ocs-v2'], ours: DIALECTS });
    assert.equal(choice.ok && choice.dialect, 'ocs-v2');
  });

  test('nothing in common is an explained refusal, not a guess', () => {
    const choice = chooseDialect({ peer: ['ocm-1.3'], ours: ['ocs-v1', 'ocs-v2'] });
    assert.ok(!choice.ok);
    assert.equal(choice.reason, 'no-common');
    assert.match(choice.message, /peer speaks ocm-1\.3/);
  });

  test('an empty peer list has nothing in common', () => {
    const choice = chooseDialect({ peer: [], ours: DIALECTS });
    assert.equal(!choice.ok && choice.reason, 'no-common');
  });

  test('the operator override wins over the best common dialect', () => {
    const choice = chooseDialect({
      peer: ['ocm-proposal1', 'ocm-1.2'],
      ours: DIALECTS,
      override: 'ocm-proposal1',
    });
    assert.deepEqual(choice, { ok: true, dialect: 'ocm-proposal1', reason: 'override' });
  });

  test('an override the peer did not advertise is honoured with a warning', () => {
    const choice = chooseDialect({ peer: ['ocm-1.3'], ours: DIALECTS, override: 'ocm-1.2' });
    assert.equal(choice.ok && choice.dialect, 'ocm-1.2');
    assert.match((choice.ok && choice.warning) || '', /not advertised/);
  });

  test('an override we do not speak is refused', () => {
    const choice = chooseDialect({ peer: ['ocm-1.3'], ours: ['ocm-1.3'], override: 'ocs-v1' });
    assert.equal(!choice.ok && choice.reason, 'override-unsupported');
  });
});
