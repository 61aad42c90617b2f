/**
 * Capability, criteria and requirement names across OCM versions (ocm-versions §2.2, §6):
 * every known spelling normalises to the I-D-05 name, and back to what each version writes.
 */
import type { NameGeneration } from './ocm-dialect-rules.ts';

const CAPABILITY_ALIASES: Readonly<Record<string, string>> = {
  'invite-accepted': 'invites',
  'mfa-capable': 'enforce-mfa',
  'mfa-enabled': 'enforce-mfa',
  'receive-code': 'exchange-token',
  'httpsig-enabled': 'http-sig',
};

const CRITERIA_ALIASES: Readonly<Record<string, string>> = {
  'http-request-signatures': 'must-use-http-sig',
  'token-exchange': 'must-exchange-token',
  code: 'must-exchange-token',
  invite: 'must-invite',
};

const REQUIREMENT_ALIASES: Readonly<Record<string, string>> = {
  'mfa-enforced': 'must-use-mfa',
};

function normaliseWith(aliases: Readonly<Record<string, string>>, name: string): string {
  const bare = name.startsWith('/') ? name.slice(1) : name;
  return Object.hasOwn(aliases, bare) ? (aliases[bare] ?? bare) : bare;
}

function dedupe(names: readonly string[]): string[] {
  return [...new Set(names)];
}

/** `"/invite-accepted"` → `invites`, `"/mfa-capable"` → `enforce-mfa`; unknown names lose a leading slash only. */
export function normaliseCapabilities(names: readonly string[]): string[] {
  return dedupe(names.map((name) => normaliseWith(CAPABILITY_ALIASES, name)));
}

/** `http-request-signatures` → `must-use-http-sig`, `token-exchange` → `must-exchange-token`, … */
export function normaliseCriteria(names: readonly string[]): string[] {
  return dedupe(names.map((name) => normaliseWith(CRITERIA_ALIASES, name)));
}

/** `mfa-enforced` → `must-use-mfa`; unknown requirements are kept (a receiver must refuse them). */
export function normaliseRequirements(names: readonly string[]): string[] {
  return dedupe(names.map((name) => normaliseWith(REQUIREMENT_ALIASES, name)));
}

const CAPABILITIES_WRITTEN: Readonly<Record<NameGeneration, Readonly<Record<string, string>>>> = {
  'v1.1': { notifications: '/notifications', invites: '/invite-accepted' },
  'v1.2': {
    'enforce-mfa': 'enforce-mfa',
    'exchange-token': 'exchange-token',
    'http-sig': 'http-sig',
    invites: 'invites',
    'invite-wayf': 'invite-wayf',
    notifications: 'notifications',
    'protocol-object': 'protocol-object',
    'webdav-uri': 'webdav-uri',
  },
  'v1.3': {
    'enforce-mfa': 'enforce-mfa',
    'exchange-token': 'exchange-token',
    'http-sig': 'http-sig',
    invites: 'invites',
    'invite-wayf': 'invite-wayf',
    notifications: 'notifications',
    'protocol-object': 'protocol-object',
  },
};

const CRITERIA_WRITTEN: Readonly<Record<'v1.2' | 'v1.3', Readonly<Record<string, string>>>> = {
  'v1.2': {
    'must-use-http-sig': 'http-request-signatures',
    'must-exchange-token': 'token-exchange',
    'must-invite': 'invite',
    denylist: 'denylist',
    allowlist: 'allowlist',
  },
  'v1.3': {
    'must-use-http-sig': 'must-use-http-sig',
    'must-exchange-token': 'must-exchange-token',
    'must-invite': 'must-invite',
    denylist: 'denylist',
    allowlist: 'allowlist',
  },
};

export interface WrittenNames {
  readonly written: string[];
  /** Canonical names this generation has no spelling for. */
  readonly dropped: string[];
}

function writeWith(
  table: Readonly<Record<string, string>>,
  names: readonly string[],
): WrittenNames {
  const written: string[] = [];
  const dropped: string[] = [];
  for (const name of names) {
    const spelling = Object.hasOwn(table, name) ? table[name] : undefined;
    if (spelling === undefined) dropped.push(name);
    else if (!written.includes(spelling)) written.push(spelling);
  }
  return { written, dropped };
}

export function writeCapabilities(
  generation: NameGeneration,
  names: readonly string[],
): WrittenNames {
  return writeWith(CAPABILITIES_WRITTEN[generation], names);
}

export function writeCriteria(generation: 'v1.2' | 'v1.3', names: readonly string[]): WrittenNames {
  return writeWith(CRITERIA_WRITTEN[generation], names);
}

/** Capability names a generation can write (docs). */
export function capabilitySpellings(generation: NameGeneration): Readonly<Record<string, string>> {
  return CAPABILITIES_WRITTEN[generation];
}

export function criteriaSpellings(generation: 'v1.2' | 'v1.3'): Readonly<Record<string, string>> {
  return CRITERIA_WRITTEN[generation];
}
