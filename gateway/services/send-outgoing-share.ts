/**
 * Flow 4 (DESIGN §3, issue 9 item 4): a share the backend sends to a peer, whichever door it came
 * through (a facade URL or the forward proxy). A legacy peer gets the backend's call unchanged
 * but for internal addresses, and its answer is relayed; a modern peer gets a signed OCM share in
 * the best common dialect, recorded in the ledger first so the peer can read (or exchange a
 * token for) the share the moment it has it.
 */
import { codecFor } from '../core/dialects/dialect-registry.ts';
import { readOcsResponse } from '../core/dialects/ocs-common/ocs-response.ts';
import { publicWebdavPath } from '../core/discovery/public-webdav-path.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { CanonicalShare, CanonicalShareCreated } from '../core/model/canonical-share.ts';
import { isOcmDialect, type DialectId } from '../core/model/dialect-id.ts';
import { legacyFormForPeer } from '../core/outgoing/legacy-form-for-peer.ts';
import type { AddressContext } from '../core/outgoing/outgoing-address.ts';
import { addressStyleFor, outgoingShareForPeer } from '../core/outgoing/outgoing-share-for-peer.ts';
import { signatureSchemeFor } from '../core/outgoing/peer-signature-scheme.ts';
import { outgoingPermissionNames } from '../core/permissions/share-permissions-property.ts';
import type { BackendProfileSource } from '../ports/backend-client.ts';
import type { ShareLedger, ShareRecord } from '../ports/ledger.ts';
import type { Logger } from '../ports/logger.ts';
import { NO_FACADE_METRICS, type FacadeMetrics } from './facade-metrics.ts';
import { secretsEqual } from './secrets-equal.ts';
import type { PeerResolver } from './send-peer-notification.ts';
import { peerRefusal } from './send-peer-refusal.ts';
import type { PeerSender } from './send-to-peer.ts';

/**
 * The permission bits the backend grants on the share with this token (its public WebDAV's
 * `share-permissions`), or undefined when it cannot tell. Never rejects.
 */
export type BackendSharePermissions = (sharedSecret: string) => Promise<number | undefined>;

export interface SendOutgoingShareDeps {
  readonly resolver: PeerResolver;
  readonly sender: PeerSender;
  readonly shares: ShareLedger;
  readonly backendProfile: BackendProfileSource;
  readonly addresses: AddressContext;
  readonly logger: Logger;
  readonly metrics?: FacadeMetrics;
  /** How OCM 1.1+ peers learn what the share allows; without it they get `read` only. */
  readonly backendPermissions?: BackendSharePermissions;
}

export interface OutgoingShareRequest {
  /** Normalised `host[:port]` of the peer: its key in the ledger. */
  readonly peerHost: string;
  /** How to discover and call the peer (a URL with scheme and sub-path); default `peerHost`. */
  readonly peer?: string;
  /** As parsed from the backend: providerId = its remoteId, the WebDAV secret = its token. */
  readonly share: CanonicalShare;
  /** The backend's OCS call as sent (form body, query), passed on to legacy peers. */
  readonly legacyCall?: { readonly body: string; readonly query: string };
}

export type OutgoingShareResult =
  | {
      readonly kind: 'ocm';
      readonly created: CanonicalShareCreated;
      readonly dialect: DialectId;
    }
  /** A legacy peer's answer, for the backend as it came. */
  | {
      readonly kind: 'relayed';
      readonly status: number;
      readonly contentType: string | undefined;
      readonly body: string;
    };

export type SendOutgoingShare = (request: OutgoingShareRequest) => Promise<OutgoingShareResult>;

export function createSendOutgoingShare(deps: SendOutgoingShareDeps): SendOutgoingShare {
  const metrics = deps.metrics ?? NO_FACADE_METRICS;

  function webdavUrl(): string {
    const path = publicWebdavPath(
      deps.addresses.publicUrl,
      deps.backendProfile.current().webdavPath,
    );
    return new URL(path, deps.addresses.publicUrl).href;
  }

  async function record(
    input: Omit<Parameters<ShareLedger['create']>[0], 'direction' | 'state'>,
  ): Promise<ShareRecord> {
    const { record: found, created } = await deps.shares.create({
      ...input,
      direction: 'outgoing',
    });
    if (created) return found;
    if (!secretsEqual(found.sharedSecret, input.sharedSecret)) {
      throw new GatewayError('INVALID_REQUEST', 'remoteId already names another share.', {
        issues: [{ field: 'remoteId', message: 'is already used by a different share' }],
      });
    }
    // The backend sends again (a retry, or after a refusal): the share is live again.
    return found.state === 'pending'
      ? found
      : ((await deps.shares.update(found.id, { state: 'pending' })) ?? found);
  }

  async function toLegacy(
    request: OutgoingShareRequest,
    endPoint: string,
    dialect: DialectId,
  ): Promise<OutgoingShareResult> {
    const call = request.legacyCall;
    if (call === undefined) {
      // An early-OCM backend falls back to its legacy call on anything but 201 (or 500).
      throw new GatewayError('NOT_IMPLEMENTED', 'The peer only speaks the legacy sharing API.');
    }
    const response = await deps.sender.post({
      url: call.query === '' ? endPoint : `${endPoint}?${call.query}`,
      body: legacyFormForPeer(call.body, deps.addresses),
      contentType: 'application/x-www-form-urlencoded',
      scheme: 'unsigned',
    });
    const answer = readOcsResponse({ status: response.status, body: response.text });
    if (answer.ok && answer.value.success) {
      await record(ledgerFields(request, request.share, dialect));
      metrics.peerCall('share', 'relayed');
    } else metrics.peerCall('share', 'refused');
    const type = response.headers['content-type'];
    return {
      kind: 'relayed',
      status: response.status,
      contentType: typeof type === 'string' ? type : undefined,
      body: response.text,
    };
  }

  /**
   * OCM 1.1+ carry permission names; the backend's call never does (legacy-protocols §1.3,
   * §3.1), so they are read from its WebDAV as a legacy receiver would. OCM 1.0 carries no
   * list: its receivers read the property over the gateway's public WebDAV themselves.
   */
  async function permissionsFor(share: CanonicalShare, dialect: DialectId) {
    const given = share.protocols.webdav?.permissions ?? [];
    if (dialect === 'ocm-1.0' || given.length > 0 || deps.backendPermissions === undefined) {
      return undefined;
    }
    const secret = share.protocols.webdav?.sharedSecret ?? '';
    const bits = secret === '' ? undefined : await deps.backendPermissions(secret);
    if (bits === undefined) {
      deps.logger.warn('the backend did not tell the share’s permissions; the peer gets read', {
        providerId: share.providerId,
      });
    }
    return outgoingPermissionNames(bits);
  }

  function ledgerFields(request: OutgoingShareRequest, sent: CanonicalShare, dialect: DialectId) {
    const secret = request.share.protocols.webdav?.sharedSecret ?? '';
    return {
      peerHost: request.peerHost,
      providerId: request.share.providerId,
      backendShareId: request.share.providerId,
      sharedSecret: secret,
      dialects: { peer: dialect, backend: deps.backendProfile.current().dialect },
      owner: sent.owner,
      sender: sent.sender,
      shareWith: sent.shareWith,
      resourceName: sent.name,
    };
  }

  return async (request) => {
    const peer = await deps.resolver.resolve(request.peer ?? request.peerHost);
    const dialect = peer.dialect;
    const caps = peer.capabilities;
    if (dialect === undefined) {
      throw new GatewayError('NOT_IMPLEMENTED', `No dialect in common with ${request.peerHost}.`);
    }
    if (!isOcmDialect(dialect)) return toLegacy(request, caps.endPoint, dialect);

    const permissions = await permissionsFor(request.share, dialect);
    const mapped = outgoingShareForPeer({
      share: request.share,
      // OCM 1.2+ addresses carry no path; older ones keep a sub-path install's.
      peerHost:
        addressStyleFor(dialect) === 'ocm'
          ? request.peerHost
          : `${request.peerHost}${peer.peer.path}`,
      dialect,
      criteria: caps.criteria,
      addresses: deps.addresses,
      webdavUrl: webdavUrl(),
      ...(permissions === undefined ? {} : { permissions }),
    });
    if (!mapped.ok) {
      throw new GatewayError('INVALID_REQUEST', 'The share cannot be sent to the peer.', {
        issues: mapped.issues,
      });
    }
    const codec = codecFor(dialect);
    const wire = codec?.shareCreate?.serialise(mapped.value);
    if (codec === undefined || wire === undefined || !wire.ok) {
      throw new GatewayError('NOT_IMPLEMENTED', `The share cannot be written in ${dialect}.`, {
        issues: wire?.ok === false ? wire.issues : [],
      });
    }
    // Recorded before sending: a peer may fetch the share (or exchange a token) at once.
    const saved = await record(ledgerFields(request, mapped.value, dialect));
    let response;
    try {
      response = await deps.sender.post({
        url: `${caps.endPoint.replace(/\/+$/, '')}/shares`,
        body: JSON.stringify(wire.value),
        contentType: 'application/json',
        scheme: signatureSchemeFor(caps, dialect),
      });
    } catch (error) {
      await deps.shares.update(saved.id, { state: 'declined' });
      metrics.peerCall('share', 'failed');
      throw error;
    }
    if (response.status < 200 || response.status >= 300) {
      // Not a share for the peer: its secret must not open anything.
      await deps.shares.update(saved.id, { state: 'declined' });
      metrics.peerCall('share', 'refused');
      throw peerRefusal(response);
    }
    const created = codec.shareCreated?.parse(response.json ?? {});
    metrics.peerCall('share', 'delivered');
    deps.logger.info('share sent to the peer', {
      peerHost: request.peerHost,
      dialect,
      providerId: saved.providerId,
      warnings: wire.warnings.map((w) => `${w.field}: ${w.message}`),
    });
    return { kind: 'ocm', created: created?.ok === true ? created.value : {}, dialect };
  };
}
