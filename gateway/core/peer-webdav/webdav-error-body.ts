/**
 * Error answers in the form the backends' WebDAV client (sabre/dav, used by ownCloud and
 * Nextcloud) reads: `<d:error>` with `s:exception` and `s:message` (RFC 4918 §8.7 + sabre ns).
 */

const EXCEPTIONS: Readonly<Record<number, string>> = {
  400: 'Sabre\\DAV\\Exception\\BadRequest',
  401: 'Sabre\\DAV\\Exception\\NotAuthenticated',
  403: 'Sabre\\DAV\\Exception\\Forbidden',
  404: 'Sabre\\DAV\\Exception\\NotFound',
  405: 'Sabre\\DAV\\Exception\\MethodNotAllowed',
  501: 'Sabre\\DAV\\Exception\\NotImplemented',
};

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function webdavErrorBody(status: number, message: string): string {
  const exception =
    EXCEPTIONS[status] ??
    (status >= 500 ? 'Sabre\\DAV\\Exception\\ServiceUnavailable' : 'Sabre\\DAV\\Exception');
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n' +
    `  <s:exception>${escapeXml(exception)}</s:exception>\n` +
    `  <s:message>${escapeXml(message)}</s:message>\n` +
    '</d:error>\n'
  );
}
