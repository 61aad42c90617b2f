/**
 * `npm run demo`: a small federation on loopback — an old Nextcloud 13 behind the gateway (embedded
 * state, no Redis) and an old ownCloud 9 peer — walks a share through both directions, prints each
 * step, then stays up for curl. `--once` runs the steps and exits (used by the test of the quick start).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../gateway/observability/create-logger.ts';
import { startGateway } from '../../gateway/start-gateway.ts';
import { startLegacyServer } from '../sim/legacy/legacy-server.ts';
import { startOcmPeer } from '../sim/index.ts';
import { createWriteStream } from 'node:fs';

const once = process.argv.includes('--once');
const say = (text = '') => process.stdout.write(`${text}\n`);
const step = (n: number, text: string) => say(`\n[${n}] ${text}`);
const detail = (text: string) => say(`    ${text}`);

async function portOr(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() =>
          resolve(typeof address === 'object' && address ? address.port : undefined),
        );
      });
    });
  return (await tryPort(preferred)) ?? (await tryPort(0)) ?? 0;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ocm-gateway-demo-'));
  const logFile = join(dataDir, 'gateway.log');
  const [publicPort, internalPort, adminPort] = [
    await portOr(9200),
    await portOr(9300),
    await portOr(9400),
  ];
  const publicUrl = `http://127.0.0.1:${publicPort}`;

  say('OCM federation gateway — demo mesh on loopback (embedded state, no Redis)');
  const backend = await startLegacyServer({
    flavour: 'nextcloud13',
    basePath: '/nextcloud',
    publicUrl,
    users: { bob: 'Bob' },
    // The old server's `proxy` setting points at the gateway's internal listener (forward proxy).
    proxy: `http://127.0.0.1:${internalPort}`,
  });
  const peer = await startLegacyServer({ flavour: 'owncloud9', users: { alice: 'Alice' } });
  const modern = await startOcmPeer({
    version: '1.3',
    users: { carol: 'Carol' },
    schemes: ['http'],
  });
  const config = loadConfig({
    env: {
      GATEWAY_PUBLIC_URL: publicUrl,
      GATEWAY_BACKEND_URL: backend.url,
      GATEWAY_PORT: String(publicPort),
      GATEWAY_INTERNAL_PORT: String(internalPort),
      GATEWAY_ADMIN_PORT: String(adminPort),
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_ALLOW_PRIVATE_PEERS: '1',
    },
  });
  const logger = createLogger({ level: 'info', stream: createWriteStream(logFile) });
  const gateway = await startGateway(config, { logger });
  say(`  backend  Nextcloud 13 (ocs-v2) simulator   ${backend.url}`);
  say(
    `  gateway  public ${gateway.publicUrl}   internal ${gateway.internalUrl}   admin ${gateway.adminUrl}`,
  );
  say(`  peer     ownCloud 9 (ocs-v1) simulator     ${peer.url}`);
  say(`  peer     OCM 1.3 (RFC 9421, JWKS) simulator ${modern.url}`);
  say(`  gateway log (JSON lines): ${logFile}`);

  const stop = async () => {
    await gateway.stop();
    await Promise.all([backend.close(), peer.close(), modern.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const gatewayHost = publicUrl.replace(/^https?:\/\//, '');
    step(1, `alice@peer shares "Project Docs" with bob@${gatewayHost} (the backend's public name)`);
    peer.addFile('alice', 'Project Docs/readme.txt', 'hello from ownCloud 9\n');
    const inbound = await peer.shareWithRemote({
      owner: 'alice',
      path: 'Project Docs',
      shareWith: `bob@${gatewayHost}`,
    });
    for (const attempt of peer.outgoing) {
      const outcome = attempt.status ?? attempt.error?.split('\n')[0]?.slice(0, 60) ?? '?';
      detail(`peer → ${attempt.method} ${attempt.url} → ${outcome}`);
    }
    const created = backend.received.find((r) => r.localPath.endsWith('/cloud/shares'));
    detail(
      `backend received ${created?.method ?? '?'} ${created?.target ?? '(nothing)'} as a form body (dialect ocs-v2):`,
    );
    detail(
      `  ${JSON.stringify(created?.body ?? {}, (k, v: unknown) => (k === 'token' ? '<token>' : v))}`,
    );
    detail(
      inbound.result.ok
        ? 'share created on the backend, waiting for bob'
        : `failed: ${JSON.stringify(inbound.result)}`,
    );

    const received = backend.receivedShares('bob')[0];
    if (received === undefined) throw new Error('the backend did not record the share');
    step(2, 'bob accepts; the backend calls the peer back and reads the files over WebDAV');
    const accepted = await backend.acceptShare(received.id);
    detail(`accept callback → ${accepted.url ?? '?'} → ${accepted.ok ? 'ok' : 'failed'}`);
    const listing = await backend.readShare(received.id, {
      method: 'PROPFIND',
      headers: { depth: '1' },
    });
    detail(`PROPFIND of the peer's share → ${listing.status}`);

    step(3, 'bob shares "Minutes.txt" back with alice@peer; alice reads it through the gateway');
    backend.addFile('bob', 'Minutes.txt', 'minutes of the federation meeting\n');
    const outbound = await backend.shareWithRemote({
      owner: 'bob',
      path: 'Minutes.txt',
      shareWith: `alice@${peer.url.replace(/^https?:\/\//, '')}`,
    });
    detail(
      `backend → peer createShare → ${outbound.result.ok ? 'ok' : 'failed'} (remote = ${publicUrl}/, the gateway)`,
    );
    const back = peer.receivedShares('alice')[0];
    if (back === undefined) throw new Error('the peer did not record the share');
    await peer.acceptShare(back.id);
    const file = await peer.readShare(back.id, { method: 'GET' });
    detail(
      `peer GET ${back.remote}public.php/webdav/ through the gateway → ${file.status}: ${JSON.stringify(file.text)}`,
    );

    step(
      4,
      'bob shares "Budget.ods" with carol on a modern OCM 1.3 server; the gateway translates',
    );
    backend.addFile('bob', 'Budget.ods', 'budget 2027\n');
    const translated = await backend.shareWithRemote({
      owner: 'bob',
      path: 'Budget.ods',
      shareWith: `carol@${modern.host}`,
    });
    detail(
      `backend → legacy createShare via the forward proxy → ${translated.result.ok ? 'ok' : 'failed'}`,
    );
    const ocmShare = modern.received.find((r) => r.path.endsWith('/shares'));
    detail(
      `peer received POST ${ocmShare?.path ?? '?'} (OCM 1.3 JSON), signed: ${ocmShare?.headers['signature-input'] === undefined ? 'no' : 'RFC 9421'}`,
    );
    const carolShare = modern.receivedShares('carol')[0];
    if (carolShare === undefined) throw new Error('the modern peer did not record the share');
    const budget = await modern.readShare(carolShare.id, { method: 'GET' });
    detail(
      `peer discovers ${publicUrl}/.well-known/ocm and reads the file → ${budget.status}: ${JSON.stringify(budget.text)}`,
    );

    step(
      5,
      'carol (OCM 1.3) shares "Report.txt" with bob; the old backend receives it as a legacy share',
    );
    modern.addFile('carol', 'Report.txt', 'report from a modern server\n');
    const incoming = await modern.shareWith({
      owner: 'carol',
      path: 'Report.txt',
      shareWith: `bob@${gatewayHost}`,
    });
    detail(`peer → POST ${publicUrl}/ocm/shares (signed, OCM 1.3) → ${incoming.result.status}`);
    const legacyForm = backend.received.find(
      (r) =>
        r.localPath.endsWith('/cloud/shares') &&
        (r.body as { name?: string }).name === 'Report.txt',
    );
    detail(
      `backend received ${legacyForm?.target ?? '(nothing)'} as a form body (dialect ocs-v2):`,
    );
    detail(
      `  ${JSON.stringify(legacyForm?.body ?? {}, (k, v: unknown) => (k === 'token' ? '<token>' : v))}`,
    );
    const report = backend.receivedShares('bob').find((r) => r.name === 'Report.txt');
    if (report === undefined) throw new Error('the backend did not record the translated share');
    const reportAccepted = await backend.acceptShare(report.id);
    detail(
      `bob accepts → the gateway notifies the peer (SHARE_ACCEPTED) → ${reportAccepted.ok ? 'ok' : 'failed'}`,
    );
    const reportFile = await backend.readShare(report.id, { method: 'GET' });
    detail(
      `backend reads it through the facade → ${reportFile.status}: ${JSON.stringify(reportFile.text)}`,
    );

    step(6, 'what the gateway saw');
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    for (const line of metrics.split('\n')) {
      if (line.startsWith('gateway_http_request_duration_seconds_count{listener="public"'))
        detail(line);
    }

    say('\nTry:');
    say(`  curl -s ${gateway.publicUrl}/status.php`);
    say(`  curl -s ${gateway.publicUrl}/.well-known/ocm`);
    say(`  curl -s ${gateway.publicUrl}/.well-known/jwks.json`);
    say(
      `  curl -s -X PROPFIND -H 'Depth: 1' -u ${outbound.share?.token ?? '<token>'}: ${gateway.publicUrl}/public.php/webdav/`,
    );
    say(`  curl -s ${gateway.adminUrl}/readyz`);
    say(`  curl -s ${gateway.adminUrl}/metrics | grep gateway_`);
    say(`  tail -f ${logFile}`);
  } catch (error) {
    say(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop();
    process.exitCode = 1;
    return;
  }

  if (once) {
    await stop();
    say('\ndemo done.');
    return;
  }
  say('\nRunning; Ctrl-C stops the mesh (the gateway drains in-flight requests first).');
  const onSignal = () => {
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

void main();
