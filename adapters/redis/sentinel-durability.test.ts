import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countOnlineReplicas } from './online-replicas.ts';
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

test('replicas in sync are the online ones of INFO replication', () => {
  const info = [
    '# Replication',
    'role:master',
    'connected_slaves:3',
    'slave0:ip=127.0.0.1,port=6380,state=online,offset=841,lag=1',
    'slave1:ip=127.0.0.1,port=6381,state=wait_bgsave,offset=0,lag=0',
    'slave2:ip=127.0.0.1,port=6382,state=online,offset=841,lag=0',
    'master_failover_state:no-failover',
  ].join('\r\n');
  assert.equal(countOnlineReplicas(info), 2);
  assert.equal(countOnlineReplicas('# Replication\r\nrole:master\r\nconnected_slaves:0\r\n'), 0);
});
