import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backendFailureToGatewayError,
  checkLocalRecipient,
  planBackendNotification,
  rebaseOnBackend,
  scrubBackendMessage,
} from '../../../../gateway/core/backend/index.ts';

describe('rebaseOnBackend', () => {
  test('the advertised path goes to the backend URL, never to the public host', () => {
    const cases: [string, string, string][] = [
      [
        'http://127.0.0.1:8080/index.php/ocm',
        'http://127.0.0.1:8080',
        'http://127.0.0.1:8080/index.php/ocm',
      ],
      [
        'https://cloud.example.org/nextcloud/index.php/ocm',
        'http://10.0.0.5/nextcloud',
        'http://10.0.0.5/nextcloud/index.php/ocm',
      ],
      [
        'https://cloud.example.org/index.php/apps/federatedfilesharing',
        'http://10.0.0.5/owncloud/',
        'http://10.0.0.5/owncloud/index.php/apps/federatedfilesharing',
      ],
      ['https://cloud.example.org/ocm/', 'http://10.0.0.5:81', 'http://10.0.0.5:81/ocm'],
      ['/index.php/ocm', 'http://10.0.0.5/nc', 'http://10.0.0.5/nc/index.php/ocm'],
    ];
    for (const [advertised, backend, expected] of cases) {
      assert.equal(rebaseOnBackend(advertised, backend), expected, advertised);
    }
    assert.equal(rebaseOnBackend('ftp://x/ocm', 'http://10.0.0.5'), undefined);
    assert.equal(rebaseOnBackend('http://x/ocm', 'not a url'), undefined);
  });
});

describe('backendFailureToGatewayError', () => {
  const urls = { backendUrl: 'http://10.0.0.5:8080/nc', publicUrl: 'https://cloud.example.org/nc' };

  test('OCS v1 (HTTP 200) and v2 refusals map by their statuscode', () => {
    const e = backendFailureToGatewayError(
      { httpStatus: 200, ocsStatuscode: 400, message: 'User does not exists' },
      urls,
    );
    assert.equal(e.code, 'INVALID_REQUEST');
    assert.equal(e.status, 400);
    assert.equal(e.message, 'User does not exists');
    const table: [number, string][] = [
      [403, 'FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [410, 'SHARE_GONE'],
      [500, 'UPSTREAM_UNREACHABLE'],
      [501, 'NOT_IMPLEMENTED'],
      [503, 'UNAVAILABLE'],
      [997, 'FORBIDDEN'],
      [998, 'NOT_FOUND'],
      [996, 'UPSTREAM_UNREACHABLE'],
      [102, 'INVALID_REQUEST'],
    ];
    for (const [code, expected] of table) {
      assert.equal(
        backendFailureToGatewayError({ httpStatus: 200, ocsStatuscode: code }, urls).code,
        expected,
        String(code),
      );
    }
  });

  test('plain HTTP failures (OCM answers) map by status; any 5xx stays an upstream error', () => {
    const codes = [301, 400, 401, 404, 429, 502, 504, 599].map(
      (s) => backendFailureToGatewayError({ httpStatus: s }, urls).code,
    );
    assert.deepEqual(codes, [
      'UPSTREAM_UNREACHABLE',
      'INVALID_REQUEST',
      'FORBIDDEN',
      'NOT_FOUND',
      'RATE_LIMITED',
      'UPSTREAM_UNREACHABLE',
      'UPSTREAM_TIMEOUT',
      'UPSTREAM_UNREACHABLE',
    ]);
  });

  test('503 carries Retry-After: the backend’s own or a default', () => {
    const own = backendFailureToGatewayError({ httpStatus: 503, retryAfterSeconds: 7 }, urls);
    assert.equal(own.retryAfterSeconds, 7);
    const v1 = backendFailureToGatewayError(
      {
        httpStatus: 200,
        ocsStatuscode: 503,
        message: 'Server does not support federated cloud sharing',
      },
      urls,
    );
    assert.equal(v1.code, 'UNAVAILABLE');
    assert.equal(v1.retryAfterSeconds, 30);
    assert.equal(
      backendFailureToGatewayError({ httpStatus: 400 }, urls).retryAfterSeconds,
      undefined,
    );
  });

  test('the internal backend URL never reaches the peer; validation errors are kept', () => {
    const e = backendFailureToGatewayError(
      {
        httpStatus: 400,
        message: 'User "bob" does not exists at http://10.0.0.5:8080/nc',
        issues: [{ field: 'shareWith', message: 'unknown at http://10.0.0.5:8080' }],
      },
      urls,
    );
    assert.equal(e.message, 'User "bob" does not exists at https://cloud.example.org/nc');
    assert.deepEqual(e.issues, [
      { field: 'shareWith', message: 'unknown at https://cloud.example.org/nc' },
    ]);
    assert.equal(
      backendFailureToGatewayError({ httpStatus: 404, message: null }, urls).message,
      'The backend has no such share.',
    );
  });

  test('scrubBackendMessage drops control characters and caps the length', () => {
    assert.equal(scrubBackendMessage('a\u0000\nb', urls), 'a b');
    assert.equal(scrubBackendMessage('x'.repeat(500), urls).length, 200);
  });
});

describe('planBackendNotification', () => {
  test('incoming shares (the peer owns them): unshare and user removal reach the backend', () => {
    assert.deepEqual(planBackendNotification('SHARE_UNSHARED', 'incoming', 'pending'), {
      kind: 'call',
      action: 'unshare',
      backendType: 'SHARE_UNSHARED',
      nextState: 'unshared',
    });
    const removed = planBackendNotification('USER_REMOVED', 'incoming', 'accepted');
    assert.equal(removed.kind === 'call' && removed.action, 'unshare');
    const perms = planBackendNotification('SHARE_CHANGE_PERMISSION', 'incoming', 'accepted');
    assert.equal(perms.kind, 'acknowledge');
    const wrong = planBackendNotification('SHARE_ACCEPTED', 'incoming', 'pending');
    assert.equal(wrong.kind === 'refuse' && wrong.code, 'INVALID_REQUEST');
  });

  test('outgoing shares (the backend owns them): the recipient’s calls', () => {
    const action = (type: string) => {
      const plan = planBackendNotification(type, 'outgoing', 'pending');
      return plan.kind === 'call' ? `${plan.action}/${plan.backendType}` : plan.kind;
    };
    assert.equal(action('SHARE_ACCEPTED'), 'accept/SHARE_ACCEPTED');
    assert.equal(action('SHARE_DECLINED'), 'decline/SHARE_DECLINED');
    assert.equal(action('SHARE_UNSHARED'), 'decline/SHARE_DECLINED');
    assert.equal(action('USER_REMOVED'), 'decline/SHARE_DECLINED');
    assert.equal(action('REQUEST_RESHARE'), 'reshare/REQUEST_RESHARE');
    assert.equal(action('RESHARE_UNDO'), 'revoke/RESHARE_UNDO');
    assert.equal(action('RESHARE_CHANGE_PERMISSION'), 'permissions/RESHARE_CHANGE_PERMISSION');
    assert.equal(action('SHARE_CHANGE_PERMISSION'), 'permissions/RESHARE_CHANGE_PERMISSION');
  });

  test('repeats are acknowledged, ended shares are gone, unknown types are 501', () => {
    assert.equal(
      planBackendNotification('SHARE_UNSHARED', 'incoming', 'unshared').kind,
      'acknowledge',
    );
    assert.equal(
      planBackendNotification('SHARE_DECLINED', 'outgoing', 'declined').kind,
      'acknowledge',
    );
    assert.equal(
      planBackendNotification('SHARE_ACCEPTED', 'outgoing', 'accepted').kind,
      'acknowledge',
    );
    const gone = planBackendNotification('SHARE_ACCEPTED', 'outgoing', 'declined');
    assert.equal(gone.kind === 'refuse' && gone.code, 'SHARE_GONE');
    const vendor = planBackendNotification('SYNC_CALENDAR', 'outgoing', 'pending');
    assert.equal(vendor.kind === 'refuse' && vendor.code, 'NOT_IMPLEMENTED');
  });
});

describe('checkLocalRecipient', () => {
  const ok = (shareWith: string, publicUrl: string) => {
    const r = checkLocalRecipient(shareWith, publicUrl);
    return r.ok ? r.value.user : `refused: ${r.issues[0]?.message ?? ''}`;
  };

  test('our host, with our sub-path or none, any scheme spelling', () => {
    assert.equal(ok('bob@cloud.example.org', 'https://cloud.example.org'), 'bob');
    assert.equal(ok('bob@https://Cloud.Example.org/nc', 'https://cloud.example.org/nc'), 'bob');
    assert.equal(ok('bob@cloud.example.org', 'https://cloud.example.org/nc'), 'bob');
    assert.equal(ok('bob@cloud.example.org:443', 'https://cloud.example.org'), 'bob');
    assert.equal(ok('bob@127.0.0.1:9200', 'http://127.0.0.1:9200/'), 'bob');
    assert.equal(
      ok('john@example.org@cloud.example.org', 'https://cloud.example.org'),
      'john@example.org',
    );
  });

  test('another host, port or sub-path is refused, naming the expected form', () => {
    assert.match(
      ok('bob@other.example.org', 'https://cloud.example.org'),
      /expected user@cloud\.example\.org/,
    );
    assert.match(ok('bob@cloud.example.org:8443', 'https://cloud.example.org'), /refused/);
    assert.match(ok('bob@cloud.example.org/other', 'https://cloud.example.org/nc'), /refused/);
    assert.match(ok('bob', 'https://cloud.example.org'), /refused/);
    const r = checkLocalRecipient('', 'https://cloud.example.org');
    assert.ok(!r.ok);
    assert.equal(r.issues[0]?.field, 'shareWith');
  });
});
