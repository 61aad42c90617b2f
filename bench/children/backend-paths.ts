/** Paths the bench backend answers, shared by the scenarios that call it (a backend child must not be imported). */

/** A small web-UI-like page: the pass-through figures. */
export const SMALL_PATH = '/index.php/apps/files/small';
/** A WebDAV file: GET with `?bytes=N` streams N bytes, PUT counts what it receives. */
export const WEBDAV_PATH = '/remote.php/webdav/bench.bin';
