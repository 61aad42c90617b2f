/**
 * Serves one facade call (legacy-protocols §1, §2, §1.10): discovery documents of a legacy server
 * of the backend's kind, `shareinfo`, and the share calls handed to the OCS or early-OCM handlers.
 * Every failure is answered in the caller's dialect; nothing escapes to the generic responder.
 */
import type { Request, Response } from 'express';
import { serialiseShareInfoResponse } from '../../core/dialects/ocs-common/share-info.ts';
import { GatewayError, toGatewayError } from '../../core/errors/gateway-error.ts';
import {
  facadeOcmProvider,
  facadeOcsProvider,
  facadeStatusPhp,
  type FacadeBackendKind,
} from '../../core/facade/facade-documents.ts';
import { facadeCallMethods, FACADE_OCM_ENDPOINT_PATH } from '../../core/facade/facade-call.ts';
import { isOcmDialect } from '../../core/model/dialect-id.ts';
import type { JsonValue, ParseResult } from '../../core/model/index.ts';
import { asFormText, readFacadeBody } from './facade-body.ts';
import type { FacadeServices, FacadeTarget } from './facade-context.ts';
import { serveOcmCall } from './facade-ocm-calls.ts';
import { serveOcsCall } from './facade-ocs-calls.ts';
import { ocsFormatOf, sendOcmFailure, sendOcsFailure, sendRelayed } from './facade-reply.ts';

function backendKind(services: FacadeServices): FacadeBackendKind {
  const profile = services.backendProfile.current();
  return {
    productName: profile.product.name,
    productVersion: profile.product.version,
    ocsDialect: profile.ocsDialect,
    ocsVariant: profile.ocsVariant,
  };
}

function sendDocument(res: Response, doc: ParseResult<JsonValue>): void {
  if (!doc.ok) throw new GatewayError('INTERNAL', 'The facade document could not be built.');
  res.setHeader('Cache-Control', 'no-store');
  res.status(200).json(doc.value);
}

/**
 * `/ocm-provider/` only where an early-OCM backend looks and only for a modern peer: a 404 keeps
 * the backend on its legacy call for legacy peers, which then goes to the peer unchanged.
 */
async function ocmProvider(services: FacadeServices, res: Response, t: FacadeTarget) {
  const backend = services.backendProfile.current().dialect;
  let modern = false;
  if (isOcmDialect(backend)) {
    try {
      const peer = await services.resolver.resolve(t.peer);
      modern = peer.capabilities.family === 'ocm' && peer.dialect !== undefined;
    } catch (error) {
      services.logger.debug('facade ocm-provider: peer unknown', { peerHost: t.peerHost, error });
    }
  }
  if (!modern) {
    res.status(404).json({ message: 'Not Found' });
    return;
  }
  res.setHeader('X-NEXTCLOUD-OCM-PROVIDERS', 'true');
  sendDocument(res, facadeOcmProvider(`${t.base}${t.call.basePath}${FACADE_OCM_ENDPOINT_PATH}`));
}

async function shareInfo(services: FacadeServices, req: Request, res: Response, t: FacadeTarget) {
  const body = new URLSearchParams(
    asFormText((await readFacadeBody(req, services.maxBodyBytes)).toString('utf8')),
  );
  const token = new URLSearchParams(t.query).get('t') ?? '';
  if (token === '') throw new GatewayError('INVALID_REQUEST', 'The share token (t) is required.');
  const found = await services.shareInfo({
    peerHost: t.peerHost,
    peer: t.peer,
    token,
    password: body.get('password') ?? '',
  });
  res.setHeader('Cache-Control', 'no-store');
  if (found.kind === 'relayed') {
    sendRelayed(res, { status: found.status, contentType: undefined, body: found.body });
  } else if (found.kind === 'info') {
    res.status(200).json(serialiseShareInfoResponse(found.data));
  } else {
    res.status(404).json({ data: [], status: 'error', message: 'Share not found' });
  }
}

async function dispatch(services: FacadeServices, req: Request, res: Response, t: FacadeTarget) {
  switch (t.call.kind) {
    case 'status':
      sendDocument(res, facadeStatusPhp(backendKind(services)));
      return;
    case 'ocs-provider':
      sendDocument(res, facadeOcsProvider(backendKind(services)));
      return;
    case 'ocm-provider':
      await ocmProvider(services, res, t);
      return;
    case 'shareinfo':
      await shareInfo(services, req, res, t);
      return;
    case 'ocs-create':
    case 'ocs-action':
      await serveOcsCall(services, req, res, t, t.call);
      return;
    case 'ocm-shares':
    case 'ocm-notifications':
      await serveOcmCall(services, req, res, t, t.call.kind);
      return;
  }
}

export async function serveFacadeCall(
  services: FacadeServices,
  req: Request,
  res: Response,
  target: FacadeTarget,
): Promise<void> {
  res.locals.route = `facade-${target.call.kind}`;
  const call = target.call;
  try {
    const methods = facadeCallMethods(call);
    if (!methods.includes(req.method)) {
      res.setHeader('Allow', methods.join(', '));
      throw new GatewayError('METHOD_NOT_ALLOWED', `${req.method} is not allowed here.`);
    }
    await dispatch(services, req, res, target);
  } catch (raw) {
    const error = toGatewayError(raw);
    const fields = {
      peerHost: target.peerHost,
      call: call.kind,
      code: error.code,
      cause: error.cause,
    };
    if (error.status >= 500) services.logger.warn(`facade: ${error.message}`, fields);
    else services.logger.info(`facade refused: ${error.message}`, fields);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (call.kind === 'ocs-create' || call.kind === 'ocs-action') {
      sendOcsFailure(res, { version: call.version, format: ocsFormatOf(target.query) }, error);
    } else sendOcmFailure(res, error);
  }
}
