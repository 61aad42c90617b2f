/**
 * The backend's legacy OCS calls on the facade (legacy-protocols §1.3–1.9): createShare goes out
 * as flow 4, `/{id}/{action}` as flow 2; answers are OCS envelopes in the version the backend
 * used and the format it asked for. `move` has no OCM equivalent and reaches legacy peers only;
 * OCM peers' refusals come back as OCS errors.
 */
import type { Request, Response } from 'express';
import { codecFor } from '../../core/dialects/dialect-registry.ts';
import type { OcsCodec } from '../../core/dialects/ocs-common/ocs-codec.ts';
import type { OcsPathFlavour } from '../../core/dialects/ocs-common/ocs-share-path.ts';
import type { OcsVersion } from '../../core/dialects/ocs-envelope/index.ts';
import { GatewayError } from '../../core/errors/gateway-error.ts';
import type { FacadeCall } from '../../core/facade/facade-call.ts';
import { asFormText, formOrJson, readFacadeBody } from './facade-body.ts';
import type { FacadeServices, FacadeTarget } from './facade-context.ts';
import { ocsFormatOf, sendOcsSuccess, sendRelayed, type OcsAnswerForm } from './facade-reply.ts';

type OcsCall = Extract<FacadeCall, { kind: 'ocs-create' | 'ocs-action' }>;

function codecOf(version: OcsVersion, flavour: OcsPathFlavour): OcsCodec {
  const codec =
    flavour === 'pydio8'
      ? codecFor('ocs-v2', 'pydio8')
      : codecFor(version === 1 ? 'ocs-v1' : 'ocs-v2');
  if (codec === undefined) throw new GatewayError('INTERNAL', 'No OCS codec.');
  return codec as OcsCodec;
}

function unreadable(what: string, issues: readonly { field: string; message: string }[]) {
  const first = issues[0];
  return new GatewayError(
    'INVALID_REQUEST',
    first === undefined ? `The ${what} could not be read.` : `${first.field} ${first.message}`,
    { issues },
  );
}

async function createShare(
  services: FacadeServices,
  res: Response,
  t: FacadeTarget,
  codec: OcsCodec,
  body: unknown,
  form: OcsAnswerForm,
): Promise<void> {
  const parsed = codec.shareCreate.parse(body);
  if (!parsed.ok) throw unreadable('share', parsed.issues);
  const result = await services.sendShare({
    peerHost: t.peerHost,
    peer: t.peer,
    share: parsed.value,
    legacyCall: { body: asFormText(body), query: t.query },
  });
  if (result.kind === 'relayed') sendRelayed(res, result);
  else sendOcsSuccess(res, form);
}

async function action(
  services: FacadeServices,
  res: Response,
  t: FacadeTarget,
  call: Extract<OcsCall, { kind: 'ocs-action' }>,
  codec: OcsCodec,
  body: unknown,
  form: OcsAnswerForm,
): Promise<void> {
  const legacy = {
    suffix: `/${encodeURIComponent(call.id)}/${encodeURIComponent(call.action)}`,
    body: asFormText(body),
    query: t.query,
  };
  if (call.action === 'move') {
    // Nextcloud's migration call (legacy-protocols §1.9) has no OCM form in any version (1.0 to
    // I-D-05): legacy peers take it as it is; for an OCM peer the backend gets a 501 it reads as
    // a failed update (OCS envelope in its own version), and the operator a log line. The peer
    // keeps reading the share here until the owner unshares it and shares again from the new
    // server. Nothing is sent to the peer: no notification type means "moved".
    const peer = await services.resolver.resolve(t.peer);
    if (peer.capabilities.family !== 'legacy') {
      services.logger.warn('move has no OCM equivalent: refused for an OCM peer', {
        peerHost: t.peerHost,
        shareId: call.id.slice(0, 40),
        peerDialect: peer.dialect,
      });
      throw new GatewayError(
        'NOT_IMPLEMENTED',
        'OCM has no call to move a share to another owner; unshare it and share it again from the new server.',
      );
    }
    sendRelayed(res, await services.relayLegacy(t.peer, legacy));
    return;
  }
  const parsed = codec.notification.parse({ id: call.id, action: call.action, body });
  if (!parsed.ok) throw unreadable('call', parsed.issues);
  const result = await services.relayCallback({
    peerHost: t.peerHost,
    peer: t.peer,
    notification: parsed.value,
  });
  if (result.kind === 'unrecorded') {
    sendRelayed(res, await services.relayLegacy(t.peer, legacy));
    return;
  }
  if (result.kind === 'queued' || result.reply.reshare === undefined) {
    sendOcsSuccess(res, form);
    return;
  }
  const wire = codec.notificationReply.serialise(result.reply, { format: form.format });
  if (!wire.ok) throw new GatewayError('INTERNAL', 'The reshare answer could not be written.');
  res.status(wire.value.status).type(wire.value.contentType).send(wire.value.body);
}

export async function serveOcsCall(
  services: FacadeServices,
  req: Request,
  res: Response,
  t: FacadeTarget,
  call: OcsCall,
): Promise<void> {
  const codec = codecOf(call.version, call.flavour);
  const form: OcsAnswerForm = { version: call.version, format: ocsFormatOf(t.query) };
  const body = formOrJson(req, await readFacadeBody(req, services.maxBodyBytes));
  if (call.kind === 'ocs-create') await createShare(services, res, t, codec, body, form);
  else await action(services, res, t, call, codec, body, form);
}
