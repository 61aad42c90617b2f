/**
 * How `peers show|list` print a peer: an aligned table for people, JSON (ISO dates) for machines.
 * Public keys are shown by key id only; nothing printed here is secret.
 */
import type { PeerStatus } from '../services/peer-status.ts';

function iso(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

/** `in 5m` / `3h ago`, so a person sees at once whether an entry is old. */
export function relative(ms: number, now: number): string {
  const delta = Math.round((ms - now) / 1000);
  const abs = Math.abs(delta);
  const text =
    abs < 60
      ? `${abs}s`
      : abs < 3600
        ? `${Math.floor(abs / 60)}m`
        : abs < 86_400
          ? `${Math.floor(abs / 3600)}h`
          : `${Math.floor(abs / 86_400)}d`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

export function peerStatusJson(status: PeerStatus): Record<string, unknown> {
  return {
    ...status,
    fetchedAt: iso(status.fetchedAt),
    staleAt: iso(status.staleAt),
    expiresAt: iso(status.expiresAt),
    retryAt: iso(status.retryAt),
    ...(status.lastError !== undefined && {
      lastError: { ...status.lastError, at: iso(status.lastError.at) },
    }),
  };
}

function dialectLine(status: PeerStatus): string {
  const choice = status.dialectChoice;
  if (choice === undefined) return '-';
  if (!choice.ok) return `none (${choice.message})`;
  const why = choice.reason === 'override' ? 'configured for this peer' : 'best in common';
  return `${choice.dialect} (${why}${choice.warning === undefined ? '' : `; ${choice.warning}`})`;
}

function list(values: readonly string[] | undefined): string {
  return values === undefined || values.length === 0 ? '-' : values.join(', ');
}

function keysLine(status: PeerStatus): string {
  const keys = status.capabilities?.keys;
  if (keys === undefined) return '-';
  const parts: string[] = [];
  if (keys.cavage !== undefined) parts.push(`cavage ${keys.cavage.keyId}`);
  if (keys.publicKeys.length > 0) {
    parts.push(`publicKeys ${keys.publicKeys.map((k) => k.keyId).join(' ')}`);
  }
  if (keys.jwks !== undefined) {
    const kids = keys.jwks.map((k) => (typeof k.kid === 'string' ? k.kid : '(no kid)'));
    parts.push(`jwks ${kids.length === 0 ? '(empty)' : kids.join(' ')}`);
  }
  return parts.length === 0 ? 'none' : parts.join('; ');
}

function aligned(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`.trimEnd()).join('\n');
}

/** What discovery found; a peer that was never discovered has none of it. */
function capabilityRows(status: PeerStatus): [string, string][] {
  const c = status.capabilities;
  if (c === undefined) return [];
  return [
    ['dialect', dialectLine(status)],
    ['spoken', list(c.dialects)],
    ['family', c.family],
    ['provider', c.provider ?? '-'],
    ['apiVersion', c.apiVersion ?? '-'],
    ['version', c.version ?? '-'],
    ['endPoint', c.endPoint],
    ['webdav', c.webdavUrl ?? c.webdavPath ?? '-'],
    ['capabilities', list(c.capabilities)],
    ['criteria', list(c.criteria)],
    ['keys', keysLine(status)],
    ['tokenEndPoint', c.tokenEndPoint ?? '-'],
    ['inviteDialog', c.inviteAcceptDialog ?? '-'],
  ];
}

export function peerStatusTable(status: PeerStatus, now: number): string {
  const c = status.capabilities;
  const at = (ms: number | undefined) =>
    ms === undefined ? '-' : `${iso(ms) ?? '-'} (${relative(ms, now)})`;
  const rows: [string, string][] = [
    ['peer', status.peer],
    ['state', `${status.state}, circuit ${status.circuit}`],
    ...capabilityRows(status),
    ['fetched', at(status.fetchedAt)],
    ['stale from', at(status.staleAt)],
    ['expires', at(status.expiresAt)],
    ['failures', String(status.failures)],
    ['retry at', at(status.retryAt)],
    ['last error', status.lastError === undefined ? '-' : status.lastError.message],
  ];
  const sources = Object.entries(c?.sources ?? {}).map(([field, url]): [string, string] => [
    `  ${field}`,
    url,
  ]);
  const warnings = (c?.warnings ?? []).map((w) => `  - ${w}`);
  return [
    aligned(rows),
    ...(sources.length > 0 ? ['sources', aligned(sources)] : []),
    ...(warnings.length > 0 ? ['warnings', ...warnings] : []),
  ]
    .join('\n')
    .concat('\n');
}

export function peerListTable(statuses: readonly PeerStatus[], now: number): string {
  if (statuses.length === 0) return 'No peers in the capability cache.\n';
  const header = [
    'PEER',
    'STATE',
    'CIRCUIT',
    'DIALECT',
    'FAMILY',
    'PROVIDER',
    'FAILURES',
    'EXPIRES',
  ];
  const lines = [
    header,
    ...statuses.map((s) => [
      s.peer,
      s.state,
      s.circuit,
      s.dialect ?? '-',
      s.capabilities?.family ?? '-',
      s.capabilities?.provider ?? '-',
      String(s.failures),
      relative(s.expiresAt, now),
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...lines.map((line) => line[i]?.length ?? 0)));
  return lines
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
