/**
 * Reads a share's permissions the way a legacy receiver does (legacy-protocols §1.10): a Depth-0
 * PROPFIND on the backend's public WebDAV root with the share token as Basic user, and the
 * `share-permissions` property of the answer. Used before a share goes to an OCM 1.1+ peer,
 * whose `webdav.permissions` must name what the backend grants. Never rejects: any failure is
 * `undefined` (the caller falls back to read) and a log line without the token.
 */
import http from 'node:http';
import https from 'node:https';
import {
  readSharePermissionsProperty,
  SHARE_PERMISSIONS_PROPFIND,
} from '../../core/permissions/share-permissions-property.ts';
import type { Logger } from '../../ports/logger.ts';
import type { BackendSharePermissions } from '../../services/send-outgoing-share.ts';

export interface BackendPermissionsOptions {
  /** GATEWAY_BACKEND_URL (may carry a sub-path). */
  readonly backendUrl: string;
  /** The backend's public WebDAV path, e.g. `/public.php/webdav` (from dialect detection). */
  readonly webdavPath: () => string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Answers larger than this are not read (a Depth-0 multistatus is a few hundred bytes). */
  readonly maxBytes?: number;
}

export function webdavRootUrl(backendUrl: string, webdavPath: string): string {
  const base = backendUrl.replace(/\/+$/, '');
  const path = webdavPath.startsWith('/') ? webdavPath : `/${webdavPath}`;
  return `${base}${path.replace(/\/+$/, '')}/`;
}

export function createBackendSharePermissions(
  options: BackendPermissionsOptions,
): BackendSharePermissions {
  const maxBytes = options.maxBytes ?? 64 * 1024;
  return (sharedSecret) =>
    new Promise((resolve) => {
      const url = new URL(webdavRootUrl(options.backendUrl, options.webdavPath()));
      const done = (bits: number | undefined, reason?: string): void => {
        if (reason !== undefined) {
          options.logger.debug('backend share permissions unknown', { reason });
        }
        resolve(bits);
      };
      const body = Buffer.from(SHARE_PERMISSIONS_PROPFIND);
      const request = (url.protocol === 'https:' ? https : http).request(url, {
        method: 'PROPFIND',
        headers: {
          authorization: `Basic ${Buffer.from(`${sharedSecret}:`).toString('base64')}`,
          depth: '0',
          'content-type': 'application/xml; charset=utf-8',
          'content-length': String(body.length),
        },
        timeout: options.timeoutMs,
      });
      request.on('timeout', () => {
        request.destroy(new Error('timeout'));
      });
      request.on('error', (error) => {
        done(undefined, error.message === 'timeout' ? 'timeout' : 'unreachable');
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            response.destroy();
            done(undefined, 'answer too large');
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', () => {
          done(undefined, 'answer cut');
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status !== 207) {
            done(undefined, `status ${status}`);
            return;
          }
          const bits = readSharePermissionsProperty(Buffer.concat(chunks).toString('utf8'));
          done(bits, bits === undefined ? 'no share-permissions property' : undefined);
        });
      });
      request.end(body);
    });
}
