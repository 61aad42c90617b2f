/** Test doubles for the receive-* services: a scripted backend client, a profile, a real SQLite ledger in a temp dir. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLedger } from '../../../adapters/sqlite/sqlite-ledger.ts';
import { decideBackendProfile, type BackendProfile } from '../../../gateway/core/backend/index.ts';
import type { CanonicalShare } from '../../../gateway/core/model/canonical-share.ts';
import type {
  BackendClient,
  BackendNotification,
  BackendNotified,
  BackendProfileSource,
  BackendShareCreated,
  BackendShareRequest,
} from '../../../gateway/ports/backend-client.ts';
import type { Logger } from '../../../gateway/ports/logger.ts';

export const LEDGER_KEY = 'receive-services-test-key-0123456789abcdef';

export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  http: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
};

export function tempLedger(): { ledger: SqliteLedger; dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'receive-services-'));
  const ledger = new SqliteLedger({ dataDir: dir, secretKey: LEDGER_KEY });
  return {
    ledger,
    dir,
    cleanup: async () => {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A known profile for a dialect, built by the real decision with the dialect forced. */
export function profileOf(
  dialect: 'ocs-v1' | 'ocs-v2' | 'ocm-proposal1',
  overrides: Partial<BackendProfile> = {},
): BackendProfileSource {
  const failed = { kind: 'failed', url: 'http://b', failure: 'unreachable' } as const;
  const decided = decideBackendProfile({
    probes: { ocmProvider: failed, ocsProvider: failed, statusPhp: failed },
    backendUrl: 'http://b',
    forced: dialect,
    now: 0,
  }).profile;
  const profile = { ...decided, status: 'known' as const, ...overrides };
  return { current: () => profile, refresh: () => Promise.resolve(profile) };
}

type Step<T> = T | Error | (() => Promise<T>);

export class FakeBackend implements BackendClient {
  readonly shares: BackendShareRequest[] = [];
  readonly notifications: BackendNotification[] = [];
  shareAnswers: Step<BackendShareCreated>[] = [];
  notifyAnswers: Step<BackendNotified>[] = [];

  async #next<T>(steps: Step<T>[], fallback: T): Promise<T> {
    const step = steps.length > 0 ? steps.shift() : fallback;
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return (step as () => Promise<T>)();
    return step as T;
  }

  createShare(request: BackendShareRequest): Promise<BackendShareCreated> {
    this.shares.push(request);
    return this.#next(this.shareAnswers, {
      recipientDisplayName: 'bob',
      displayNameFromBackend: false,
      warnings: [],
    });
  }

  notify(request: BackendNotification): Promise<BackendNotified> {
    this.notifications.push(request);
    return this.#next(this.notifyAnswers, { reply: {}, via: 'ocs', warnings: [] });
  }

  move(): Promise<{ remote: string; owner: string }> {
    return Promise.reject(new Error('not used'));
  }
}

export const PUBLIC_URL = 'https://cloud.example.org';

export function peerShare(overrides: Partial<CanonicalShare> = {}): CanonicalShare {
  return {
    providerId: '7c08a1f4-share',
    shareWith: 'bob@cloud.example.org',
    name: 'Project Docs',
    owner: 'alice@peer.example.net',
    ownerDisplayName: 'Alice',
    sender: 'alice@peer.example.net',
    shareType: 'user',
    resourceType: 'file',
    protocols: {
      webdav: { sharedSecret: 'peer-secret-1', permissions: ['read'], requirements: [] },
      unknown: {},
    },
    ...overrides,
  };
}
