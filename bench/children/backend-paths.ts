/** Paths the bench backend answers, shared by the scenarios that call it (a backend child must not be imported). */

/** A small web-UI-like page: the pass-through figures. */
export const SMALL_PATH = '/index.php/apps/files/small';
/** A WebDAV file: GET with `?bytes=N` streams N bytes, PUT counts what it receives. */
export const WEBDAV_PATH = '/remote.php/webdav/bench.bin';
/** A POST the backend reads whole and answers 201: the pass-through of a share-sized request. */
export const POST_PATH = '/index.php/apps/bench/post';
/** The legacy OCS federated-sharing endpoint (OCS v2, JSON answers): createShare. */
export const OCS_SHARES_PATH = '/ocs/v2.php/cloud/shares';
