/** The one catalogue of gateway error codes: each code's HTTP status and what it means. */

export const ERROR_CATALOG = {
  INVALID_REQUEST: { status: 400, description: 'The request is malformed or misses a field.' },
  UNAUTHENTICATED: { status: 401, description: 'The caller could not be authenticated.' },
  FORBIDDEN: { status: 403, description: 'The caller is not allowed to do this.' },
  NOT_FOUND: { status: 404, description: 'No such resource or route.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The method is not allowed on this route.' },
  REQUEST_TIMEOUT: {
    status: 408,
    description: 'The request body did not arrive in time.',
  },
  MISDIRECTED: {
    status: 421,
    description: 'No backend behind this gateway answers to this host name.',
  },
  SHARE_GONE: { status: 410, description: 'The share no longer exists.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is larger than allowed.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    description: 'The request body has a type not accepted here.',
  },
  RATE_LIMITED: { status: 429, description: 'Too many requests; retry after the given delay.' },
  INTERNAL: { status: 500, description: 'An unexpected error; details are in the gateway log.' },
  NOT_IMPLEMENTED: { status: 501, description: 'This type or call is not supported.' },
  UPSTREAM_UNREACHABLE: { status: 502, description: 'The backend or peer could not be reached.' },
  UNAVAILABLE: {
    status: 503,
    description: 'Temporarily unavailable; retry after the given delay.',
  },
  UPSTREAM_TIMEOUT: { status: 504, description: 'The backend or peer did not answer in time.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
