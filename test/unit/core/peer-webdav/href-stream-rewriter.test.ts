import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HrefStreamRewriter } from '../../../../gateway/core/peer-webdav/href-stream-rewriter.ts';
import { peerHrefToFacade, rebasePath } from '../../../../gateway/core/peer-webdav/rebase-path.ts';

const PEER = 'http://127.0.0.1:4711/webdav/6f1c-key';
const FACADE = '/peers/127.0.0.1:4711/public.php/webdav';
const map = (href: string) => peerHrefToFacade(href, PEER, FACADE);

const BODY =
  '<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">' +
  '<d:response><d:href>/webdav/6f1c-key/</d:href><d:propstat><d:prop><d:getetag>"e1"</d:getetag>' +
  '</d:prop></d:propstat></d:response>' +
  '<d:response><d:href>/webdav/6f1c-key/a%20b%20&amp;%20c.txt</d:href></d:response>' +
  '<D:response xmlns:D="DAV:"><D:href >http://127.0.0.1:4711/webdav/6f1c-key/sub/</D:href></D:response>' +
  '<response xmlns="DAV:"><href>/elsewhere/x</href><d:href/></response>' +
  '</d:multistatus>\n';

const EXPECTED =
  '<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">' +
  `<d:response><d:href>${FACADE}/</d:href><d:propstat><d:prop><d:getetag>"e1"</d:getetag>` +
  '</d:prop></d:propstat></d:response>' +
  `<d:response><d:href>${FACADE}/a%20b%20&amp;%20c.txt</d:href></d:response>` +
  `<D:response xmlns:D="DAV:"><D:href >${FACADE}/sub/</D:href></D:response>` +
  '<response xmlns="DAV:"><href>/elsewhere/x</href><d:href/></response>' +
  '</d:multistatus>\n';

function runInPieces(body: string, size: number, maxCarry = 64 * 1024): string {
  const rewriter = new HrefStreamRewriter(map, maxCarry);
  let out = '';
  for (let i = 0; i < body.length; i += size) out += rewriter.push(body.slice(i, i + size));
  return out + rewriter.end();
}

describe('HrefStreamRewriter', () => {
  test('rewrites hrefs below the share, leaves the rest, whatever the prefix', () => {
    assert.equal(runInPieces(BODY, BODY.length), EXPECTED);
  });

  test('gives the same result however the body is cut (every piece size 1..40)', () => {
    for (let size = 1; size <= 40; size += 1)
      assert.equal(runInPieces(BODY, size), EXPECTED, `size ${size}`);
  });

  test('holds back at most maxCarry characters, passing an over-long element unchanged', () => {
    const long = `<d:href>/webdav/6f1c-key/${'x'.repeat(500)}</d:href>`;
    const rewriter = new HrefStreamRewriter(map, 100);
    let out = '';
    for (let i = 0; i < long.length; i += 10) {
      out += rewriter.push(long.slice(i, i + 10));
    }
    out += rewriter.end();
    assert.equal(out, long);
    assert.equal(rewriter.overflowed, 1);
    assert.equal(rewriter.rewritten, 0);
  });

  test('an unfinished element at the end is passed as it came', () => {
    const rewriter = new HrefStreamRewriter(map);
    const text = '<d:multistatus><d:href>/webdav/6f1c-key/x';
    assert.equal(rewriter.push(text) + rewriter.end(), text);
  });
});

describe('peerHrefToFacade / rebasePath', () => {
  test('matches segments after percent-decoding and keeps the rest as given', () => {
    assert.equal(map('/webdav/6f1c%2Dkey/%7E.txt'), `${FACADE}/%7E.txt`);
    assert.equal(map('/webdav/6f1c-key'), FACADE);
    assert.equal(map('/webdav/6f1c-key?x=1'), `${FACADE}?x=1`);
  });
  test('other origins, relative references and paths outside the share stay undefined', () => {
    assert.equal(map('http://127.0.0.1:9999/webdav/6f1c-key/'), undefined);
    assert.equal(map('a.txt'), undefined);
    assert.equal(map('//127.0.0.1:4711/webdav/6f1c-key/'), undefined);
    assert.equal(map('/webdav/6f1c-keyX/'), undefined);
    assert.equal(map('/webdav/'), undefined);
  });
  test('rebasePath from the origin root', () => {
    assert.equal(rebasePath('/a/b', '/', '/m'), '/m/a/b');
  });
});
