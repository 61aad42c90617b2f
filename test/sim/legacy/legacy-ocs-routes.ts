/** Incoming Federated Cloud Sharing API: POST /ocs/v{1,2}.php/cloud/shares[/{id}/{action}] with the
 * field checks, error texts and v1/v2 status rules of legacy-protocols.md §1.2–1.9. */
import { formField } from '../common/form-body.ts';
import { renderOcs, ocsOptions, type OcsResult } from '../common/ocs-envelope.ts';
import { splitCloudId, hasScheme, stripScheme } from '../common/cloud-id.ts';
import type { SimRequest, SimResponse } from '../common/sim-http-server.ts';
import type { SimRouter } from '../common/sim-router.ts';
import type { LegacyContext } from './legacy-context.ts';
import type { LegacyAction } from './legacy-flavours.ts';
import { phpIntval } from './legacy-state.ts';
import {
  createFlatReshare,
  isValidMountName,
  ownerShare,
  storeReceivedShare,
} from './legacy-share-ops.ts';

const DISABLED = 'Server does not support federated cloud sharing';

/** Field reader: $_POST only for old servers, the parameter bag (query + form/JSON) for newer. */
function fieldReader(ctx: LegacyContext, req: SimRequest): (name: string) => string {
  const formBody = req.bodyKind === 'form' ? req.body : undefined;
  if (ctx.traits.formOnly) return (name) => formField(formBody, name);
  const bag = req.bodyKind === 'form' || req.bodyKind === 'json' ? req.body : undefined;
  return (name) => formField(bag, name) || formField(req.query, name);
}

function createShare(ctx: LegacyContext, req: SimRequest, apiVersion: 1 | 2): OcsResult {
  if (!ctx.knobs.incomingEnabled) return { code: 503, message: DISABLED };
  const f = fieldReader(ctx, req);
  const fields = {
    remote: f('remote'),
    token: f('token'),
    name: f('name'),
    owner: f('owner'),
    remoteId: f('remoteId'),
    shareWith: f('shareWith'),
  };
  const remoteId = phpIntval(fields.remoteId);
  const oc10 = ctx.traits.errorStyle === 'oc10';
  const missing = Object.entries(fields)
    .filter(([k, v]) => v === '' || (k === 'remoteId' && remoteId === 0))
    .map(([k]) => k);
  if (missing.length > 0) {
    return {
      code: 400,
      message: oc10
        ? `Required parameters are missing: ${missing.join(', ')}`
        : 'server can not add remote share, missing parameter',
    };
  }
  if (oc10 && fields.token.length > 128) return { code: 400, message: 'Token too long' };
  if (!isValidMountName(fields.name))
    return { code: 400, message: 'The mountpoint name contains invalid characters.' };
  if (!ctx.state.users.has(fields.shareWith)) {
    return { code: 400, message: oc10 ? 'User does not exist' : 'User does not exists' };
  }
  if (ctx.knobs.storageFailure) {
    return {
      code: 500,
      message: `internal server error, was not able to add share from ${fields.remote}`,
    };
  }
  const ownerFederatedId = f('ownerFederatedId') || `${fields.owner}@${stripScheme(fields.remote)}`;
  const sharedBy = f('sharedBy') || fields.owner;
  const sharedByFederatedId =
    f('sharedByFederatedId') || (sharedBy === fields.owner ? ownerFederatedId : sharedBy);
  let remote = fields.remote;
  if (ctx.traits.flavour === 'owncloud10' && f('ownerFederatedId') !== '') {
    // ownCloud 10 derives the stored remote from ownerFederatedId (scheme-less → https at mount time).
    remote = splitCloudId(ownerFederatedId)?.remote ?? remote;
  } else if (ctx.traits.flavour === 'nextcloud-ocm') {
    // Nextcloud ≥ 14 routes this into its OCM provider: remote from the owner's cloud id plus '/'.
    remote = `${splitCloudId(ownerFederatedId)?.remote ?? stripScheme(remote)}/`;
  }
  storeReceivedShare(ctx, {
    shareWith: fields.shareWith,
    shareType: 'user',
    token: fields.token,
    name: fields.name,
    remoteId: String(remoteId),
    owner: fields.owner,
    ownerFederatedId,
    sharedBy,
    sharedByFederatedId,
    remote,
    via: apiVersion === 1 ? 'ocs-v1' : 'ocs-v2',
  });
  return { code: 100 };
}

function acceptOrDecline(
  ctx: LegacyContext,
  id: number,
  token: string,
  decline: boolean,
): OcsResult {
  const found = ownerShare(ctx, id, token);
  if ('error' in found) {
    if (ctx.traits.errorStyle !== 'oc10') return { code: 100 }; // OC 9.x / NC: success regardless
    return found.error === 'unknown-id'
      ? { code: 410, message: `Share with id ${id} does not exist` }
      : { code: 403, message: 'The secret does not match' };
  }
  if (decline) ctx.state.shares.delete(id);
  else found.share.accepted = true;
  return { code: 100 };
}

function reshare(ctx: LegacyContext, id: number, f: (n: string) => string): OcsResult {
  const found = ownerShare(ctx, id, f('token'));
  if ('error' in found)
    return {
      code: ctx.traits.flavour === 'nextcloud13' && found.error === 'unknown-id' ? 404 : 400,
      message: null,
    };
  const shareWith = f('shareWith');
  const outcome = createFlatReshare(ctx, found.share, {
    shareWith,
    permission: phpIntval(f('permission')),
    requesterId: f('remoteId'),
  });
  switch (outcome.kind) {
    case 'ok':
      return { code: 100, data: { token: outcome.share.token, remoteId: outcome.share.id } };
    case 'to-owner':
      return { code: 403, message: null };
    case 'no-share-permission':
      return {
        code: 400,
        message:
          ctx.traits.errorStyle === 'oc10' ? 'Owner restricted sharing for this resource' : null,
      };
    case 'bad-recipient':
      return { code: 400, message: null };
  }
}

function permissions(ctx: LegacyContext, id: number, f: (n: string) => string): OcsResult {
  // Nextcloud ≥ 14 converts to an OCM notification its provider refuses ("Updating reshares not allowed").
  if (ctx.traits.flavour === 'nextcloud-ocm') return { code: 400, message: null };
  const found = ownerShare(ctx, id, f('token'));
  const perms = f('permissions');
  if ('error' in found || !/^\d+$/.test(perms)) return { code: 400, message: null };
  if (ctx.traits.flavour === 'owncloud10') {
    if (found.share.reshareRemoteId === undefined) return { code: 400, message: null };
    found.share.permissions = Number(perms) & (1 | 2 | 4 | 16);
  } else found.share.permissions = Number(perms);
  return { code: 100 };
}

function revoke(ctx: LegacyContext, id: number, token: string): OcsResult {
  const found = ownerShare(ctx, id, token);
  if ('error' in found) return { code: 400, message: null };
  ctx.state.shares.delete(id);
  return { code: 100 };
}

function move(ctx: LegacyContext, id: number, f: (n: string) => string): OcsResult {
  if (!ctx.knobs.incomingEnabled) return { code: 503, message: DISABLED };
  const matches = ctx.state.receivedByRemoteId(String(id), f('token'));
  const target = splitCloudId(f('remote'));
  if (matches.length === 0 || target === undefined)
    return { code: 400, message: 'Share not found or token invalid' };
  const remote = hasScheme(target.remote) ? target.remote : `https://${target.remote}`;
  const newRemoteId = f('remote_id') || String(id);
  for (const r of matches) {
    r.remote = remote;
    r.owner = target.user;
    r.ownerFederatedId = f('remote');
    r.remoteId = newRemoteId;
  }
  return { code: 100, data: { remote, owner: target.user } };
}

function action(ctx: LegacyContext, req: SimRequest, rawId: string, name: LegacyAction): OcsResult {
  const f = fieldReader(ctx, req);
  const id = phpIntval(rawId);
  switch (name) {
    case 'accept':
    case 'decline':
      if (!ctx.knobs.incomingEnabled && ctx.traits.errorStyle === 'oc10')
        return { code: 503, message: DISABLED };
      return acceptOrDecline(ctx, id, f('token'), name === 'decline');
    case 'unshare':
      if (!ctx.knobs.incomingEnabled) return { code: 503, message: DISABLED };
      for (const r of ctx.state.receivedByRemoteId(String(id), f('token')))
        ctx.state.received.delete(r.id);
      return { code: 100 };
    case 'reshare':
      return reshare(ctx, id, f);
    case 'permissions':
      return permissions(ctx, id, f);
    case 'revoke':
      return revoke(ctx, id, f('token'));
    case 'move':
      return move(ctx, id, f);
  }
}

const INVALID_QUERY =
  'Invalid query, please check the syntax. API specifications are here: http://www.freedesktop.org/wiki/Specifications/open-collaboration-services.';

export function addOcsShareRoutes(router: SimRouter, ctx: LegacyContext): void {
  const respond = (
    req: SimRequest,
    api: string,
    run: (v: 1 | 2) => OcsResult,
  ): SimResponse | undefined => {
    const opts = ocsOptions(api, req.query, req.body, ctx.traits.successMessage);
    if (opts === undefined) return undefined;
    return renderOcs(run(opts.apiVersion), opts);
  };
  router.on('POST', '/ocs/:api/cloud/shares', (req, p) =>
    respond(req, p.api ?? '', (v) => createShare(ctx, req, v)),
  );
  router.on('POST', '/ocs/:api/cloud/shares/:id/:action', (req, p) =>
    respond(req, p.api ?? '', () => {
      const name = p.action as LegacyAction;
      if (!ctx.traits.actions.has(name)) return { code: 998, message: INVALID_QUERY };
      return action(ctx, req, p.id ?? '', name);
    }),
  );
}
