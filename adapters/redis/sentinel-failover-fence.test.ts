import { test } from 'node:test';
import assert from 'node:assert/strict';
import { masterNamed } from './sentinel-failover-fence.ts';

test('the master a Sentinel event names, whatever instance it is about', () => {
  assert.equal(masterNamed('+try-failover', 'master gwmaster 127.0.0.1 6379'), 'gwmaster');
  assert.equal(
    masterNamed('+selected-slave', 'slave 127.0.0.1:6380 127.0.0.1 6380 @ gwmaster 127.0.0.1 6379'),
    'gwmaster',
  );
  assert.equal(masterNamed('+switch-master', 'gwmaster 127.0.0.1 6379 127.0.0.1 6380'), 'gwmaster');
  assert.equal(masterNamed('+elected-leader', 'master other 10.0.0.1 6379'), 'other');
  assert.equal(masterNamed('+try-failover', ''), undefined);
});
