/** Which request paths belong to the federation routes, matched as express mounts them. */

/** Fixed paths, or a function read per request (returning the same array while nothing changed). */
export type PathList = readonly string[] | (() => readonly string[]);

/**
 * Whether a path is one of `paths` or below one, as express matches them: case-insensitive, a
 * trailing slash ignored.
 */
export function federationPathTest(paths: readonly string[]): (path: string) => boolean {
  const prefixes = [...new Set(paths.map((p) => p.toLowerCase().replace(/\/+$/, '')))];
  return (path) => {
    const lower = path.toLowerCase();
    return prefixes.some(
      (prefix) => prefix === '' || lower === prefix || lower.startsWith(`${prefix}/`),
    );
  };
}

/** federationPathTest over a PathList; a function's result is compiled once per distinct array. */
export function pathListTest(paths: PathList): (path: string) => boolean {
  if (typeof paths !== 'function') return federationPathTest(paths);
  let last: readonly string[] | undefined;
  let test: (path: string) => boolean = () => false;
  return (path) => {
    const current = paths();
    if (current !== last) {
      last = current;
      test = federationPathTest(current);
    }
    return test(path);
  };
}

/** `fixed` followed by what `dynamic` returns now; the same array while `dynamic`'s is the same. */
export function joinedPathList(
  fixed: readonly string[],
  dynamic: () => readonly string[],
): () => readonly string[] {
  let last: readonly string[] | undefined;
  let joined: readonly string[] = fixed;
  return () => {
    const current = dynamic();
    if (current !== last) {
      last = current;
      joined = [...fixed, ...current];
    }
    return joined;
  };
}
