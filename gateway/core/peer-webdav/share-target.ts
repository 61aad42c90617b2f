/**
 * The peer URL for one request below a share (I-D-05 §5: "for folders, sub-paths are appended"):
 * the backend's path below its mount, percent-encoding kept as sent, refused when a segment would
 * climb out of the share (`..`, encoded or not).
 */
import type { AddressResult } from '../address/index.ts';

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * `subPath` is the raw path after the mount point (`''`, `/`, `/dir/file%20a.txt`); `query` is
 * `''` or starts with `?`. `base` comes from resolveShareLocation (no trailing slash).
 */
export function shareTargetUrl(base: string, subPath: string, query = ''): AddressResult<string> {
  if (subPath !== '' && !subPath.startsWith('/')) {
    return { ok: false, issues: [{ field: 'path', message: 'must start with "/"' }] };
  }
  for (const segment of subPath.split('/')) {
    const text = decoded(segment);
    if (text === undefined) {
      return { ok: false, issues: [{ field: 'path', message: 'has an invalid percent-encoding' }] };
    }
    if (text === '.' || text === '..' || text.includes('/') || text.includes('\\')) {
      return {
        ok: false,
        issues: [
          { field: 'path', message: 'must not leave the share (dot segments, encoded "/")' },
        ],
      };
    }
  }
  if (/[\s#]/.test(subPath) || /[\s#]/.test(query)) {
    return {
      ok: false,
      issues: [{ field: 'path', message: 'has characters a URL path cannot have' }],
    };
  }
  return { ok: true, value: `${base}${subPath}${query}` };
}
