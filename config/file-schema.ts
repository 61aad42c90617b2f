/** The optional YAML file (GATEWAY_CONFIG): policy, timeouts, limits, cache times. Every key has a default. */
import { z } from 'zod';
import { DIALECT_CHOICES } from './dialect-choices.ts';
import { parseCidr } from '../gateway/core/network/cidr.ts';

const ms = (fallback: number) => z.number().int().min(1).max(3_600_000).default(fallback);
const seconds = (fallback: number) => z.number().int().min(0).max(31_536_000).default(fallback);
const bytes = (fallback: number) => z.number().int().min(1).max(1_073_741_824).default(fallback);
const hostName = z
  .string()
  .regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/, 'a lower-case host[:port]');
const cidr = z
  .string()
  .regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'a network in CIDR form, e.g. 10.0.0.0/8 or fd00::/8');
const signatureMode = z.enum(['require', 'prefer', 'ignore']);
const rateLimit = z.strictObject({
  requests: z.number().int().min(1),
  windowSeconds: z.number().int().min(1).max(86_400),
});

const timeouts = z
  .strictObject({
    backendConnectMs: ms(5_000),
    backendResponseMs: ms(60_000),
    peerConnectMs: ms(5_000),
    peerTotalMs: ms(10_000),
    shutdownDrainMs: ms(10_000),
  })
  .prefault({});

const limits = z
  .strictObject({
    sharesBodyBytes: bytes(64 * 1024),
    notificationsBodyBytes: bytes(64 * 1024),
    otherFederationBodyBytes: bytes(64 * 1024),
    discoveryResponseBytes: bytes(256 * 1024),
    // WebSocket tunnels to the backend (notify_push: one per signed-in client); each holds two sockets.
    websocketTunnels: z.number().int().min(0).max(1_000_000).default(4096),
    // From one client address (X-Forwarded-For from trusted proxies): one address cannot hold them all.
    websocketTunnelsPerAddress: z.number().int().min(0).max(1_000_000).default(256),
    // A tunnel with no byte either way this long is closed (0: never); bounds half-dead connections.
    websocketIdleSeconds: seconds(3_600),
  })
  .prefault({});

const capabilityCache = z
  .strictObject({
    freshSeconds: seconds(86_400),
    staleSeconds: seconds(86_400),
    negativeSeconds: seconds(300),
    minMaxAgeSeconds: seconds(60),
    maxEntries: z.number().int().min(10).max(10_000_000).default(10_000),
    l1Seconds: seconds(5),
  })
  .prefault({});

const peer = z.strictObject({
  host: hostName,
  dialect: z.enum(DIALECT_CHOICES).optional(),
  signatures: signatureMode.optional(),
  allowHttp: z.boolean().default(false),
  rateLimit: rateLimit.optional(),
});

const policy = z
  .strictObject({
    allowHosts: z.array(hostName).default([]),
    denyHosts: z.array(hostName).default([]),
    allowNetworks: z.array(cidr).default([]),
    denyNetworks: z.array(cidr).default([]),
    signatures: signatureMode.default('prefer'),
    rateLimit: rateLimit.default({ requests: 600, windowSeconds: 60 }),
    perPeerRateLimit: rateLimit.default({ requests: 120, windowSeconds: 60 }),
    // Unset: twice perPeerRateLimit (compilePeerPolicy).
    perAddressRateLimit: rateLimit.optional(),
  })
  .prefault({});

const proxy = z
  .strictObject({
    trustedProxies: z.array(cidr).default([]),
  })
  .prefault({});

const ocm = z
  .strictObject({
    endPointPath: z
      .string()
      .regex(
        /^\/[A-Za-z0-9/_.-]*[A-Za-z0-9_.-]$/,
        'an absolute path without a trailing slash, e.g. /ocm',
      )
      .default('/ocm'),
    advertiseInvites: z.boolean().default(false),
    mustUseHttpSig: z.boolean().default(false),
    accessTokenSeconds: z.number().int().min(30).max(3_600).default(300),
  })
  .prefault({});

const facade = z
  .strictObject({
    /** How the backend reaches the internal listener; default http://127.0.0.1:<internal port>. */
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
  })
  .prefault({});

/** The forward proxy on the internal listener (DESIGN §3): who may use it and what it does. */
const forwardProxy = z
  .strictObject({
    allowedClients: z
      .array(
        cidr.superRefine((text, ctx) => {
          const parsed = parseCidr(text);
          if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
        }),
      )
      .default(['127.0.0.0/8', '::1/128']),
    intercept: z.boolean().default(false),
    tunnelPolicy: z.enum(['allow', 'deny']).default('allow'),
  })
  .prefault({});

const backend = z
  .strictObject({
    dialectRecheckSeconds: seconds(300),
  })
  .prefault({});

/** The durable outbox of notifications a peer could not take at once (docs/backend-to-peer.md). */
const outbox = z
  .strictObject({
    intervalSeconds: z.number().int().min(1).max(3_600).default(5),
    retryBaseSeconds: z.number().int().min(1).max(86_400).default(30),
    retryMaxSeconds: z.number().int().min(1).max(604_800).default(3_600),
    giveUpHours: z.number().int().min(1).max(8_760).default(168),
  })
  .refine((o) => o.retryMaxSeconds >= o.retryBaseSeconds, {
    error: 'retryMaxSeconds must be at least retryBaseSeconds',
    path: ['retryMaxSeconds'],
  })
  .prefault({});

/** Configuration reload (SIGHUP always works); `watch` also reloads when the file changes. */
const reload = z
  .strictObject({
    watch: z.boolean().default(false),
    watchIntervalMs: z.number().int().min(100).max(60_000).default(2_000),
  })
  .prefault({});

/** Each peer host may be listed once, so there is never doubt which override applies. */
const peers = z
  .array(peer)
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((p, index) => {
      if (seen.has(p.host)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'host'],
          message: `peer ${p.host} is listed twice`,
        });
      }
      seen.add(p.host);
    });
  });

/**
 * One backend of an organisation edge (issue 8 item 1). `publicUrl` is what peers see for it
 * (discovery, signing key id, share links); requests are routed to it by their Host header (its
 * publicUrl's host and `publicHosts`) and, for OCM shares on a host several backends share, by the
 * domain of the recipient's address (`userDomains`). `dialect: ocm` (or `modern: true`) marks a
 * backend that already speaks modern OCM: it is passed through, behind the peer policy only.
 */
const backendEntry = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -, at most 32, e.g. sales'),
  url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  publicUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  dialect: z.enum(['auto', 'ocm', ...DIALECT_CHOICES]).default('auto'),
  modern: z.boolean().default(false),
  publicHosts: z.array(hostName).default([]),
  userDomains: z.array(hostName).default([]),
  /** Its own internal listener (facade and forward proxy); the first backend defaults to GATEWAY_INTERNAL_PORT. */
  internalPort: z.number().int().min(1).max(65535).optional(),
  /** How this backend reaches its internal listener; default loopback + its internalPort. */
  facadeBaseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
    .optional(),
});

export type BackendEntry = z.infer<typeof backendEntry>;

/** Ids and internal ports are unique, so each backend's facade and forward proxy are its own. */
const backends = z
  .array(backendEntry)
  .default([])
  .superRefine((list, ctx) => {
    const ids = new Set<string>();
    const ports = new Set<number>();
    list.forEach((b, index) => {
      if (ids.has(b.id)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `backend ${b.id} is listed twice`,
        });
      }
      ids.add(b.id);
      if (b.internalPort !== undefined) {
        if (ports.has(b.internalPort)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'internalPort'],
            message: `internal port ${b.internalPort} is used by two backends`,
          });
        }
        ports.add(b.internalPort);
      }
    });
  });

export const fileSchema = z.strictObject({
  timeouts,
  limits,
  capabilityCache,
  policy,
  proxy,
  ocm,
  facade,
  forwardProxy,
  backend,
  outbox,
  peers,
  backends,
  reload,
});

export type FileConfig = z.infer<typeof fileSchema>;
