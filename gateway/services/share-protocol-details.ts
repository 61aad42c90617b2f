/**
 * What flow 1 must record with an incoming share so flow 3 can read it (ports/ledger.ts
 * ShareProtocolDetails): the `webdav.uri` as sent, its requirements, and a pre-1.2 `code`.
 * Undefined for a legacy `options` share without requirements (the record alone suffices).
 */
import type { CanonicalShare } from '../core/model/canonical-share.ts';
import type { ShareProtocolDetails } from '../ports/ledger.ts';

export function shareProtocolDetails(share: CanonicalShare): ShareProtocolDetails | undefined {
  const webdav = share.protocols.webdav;
  const uri = webdav?.uri;
  const requirements = webdav?.requirements ?? [];
  const details: ShareProtocolDetails = {
    ...(uri !== undefined && uri !== '' && { webdavUri: uri }),
    ...(requirements.length > 0 && { requirements: [...requirements] }),
    ...(share.code !== undefined && share.code !== '' && { code: share.code }),
  };
  return Object.keys(details).length === 0 ? undefined : details;
}
