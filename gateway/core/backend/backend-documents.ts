/**
 * Reads the three probe answers into documents: the early-OCM `/ocm-provider/` (used only when
 * `enabled === true` and an endPoint is given, ownCloud 10's rule), `/ocs-provider/`, `/status.php`.
 */
import { codecFor } from '../dialects/dialect-registry.ts';
import {
  parseOcsProvider,
  parseStatusPhp,
  type OcsProviderDocument,
  type StatusPhp,
} from '../dialects/ocs-common/index.ts';
import type { CanonicalDiscovery } from '../model/canonical-discovery.ts';
import type { OcmDialectId } from '../model/dialect-id.ts';
import type { BackendProbeOutcome } from './backend-probe.ts';

export interface ProbedDocument<T> {
  readonly url: string;
  readonly document: T;
}

function answered(outcome: BackendProbeOutcome): { url: string; body: string } | undefined {
  if (outcome.kind !== 'answer' || outcome.status < 200 || outcome.status >= 300) return undefined;
  return { url: outcome.url, body: outcome.body };
}

function json(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The dialect an advertised apiVersion belongs to; undefined when it names none. */
export function ocmDialectOfApiVersion(apiVersion: string): OcmDialectId | undefined {
  if (apiVersion === '1.0-proposal1') return 'ocm-proposal1';
  const match = /^v?1\.(\d{1,3})(?:[.-].*)?$/.exec(apiVersion.trim());
  if (match === null) return undefined;
  const minor = Number(match[1]);
  if (minor === 0) return 'ocm-1.0';
  if (minor === 1) return 'ocm-1.1';
  if (minor === 2) return 'ocm-1.2';
  return 'ocm-1.3';
}

export function readOcmProvider(
  outcome: BackendProbeOutcome,
): ProbedDocument<CanonicalDiscovery> | undefined {
  const answer = answered(outcome);
  if (answer === undefined) return undefined;
  const doc = json(answer.body);
  if (typeof doc !== 'object' || doc === null || (doc as { enabled?: unknown }).enabled !== true)
    return undefined;
  const apiVersion = (doc as { apiVersion?: unknown }).apiVersion;
  const dialect = ocmDialectOfApiVersion(typeof apiVersion === 'string' ? apiVersion : '');
  const parsed = codecFor(dialect ?? 'ocm-proposal1')?.discovery?.parse(doc, { mode: 'lenient' });
  if (parsed?.ok !== true || parsed.value.endPoint === '') return undefined;
  return { url: answer.url, document: parsed.value };
}

export function readOcsProvider(
  outcome: BackendProbeOutcome,
): ProbedDocument<OcsProviderDocument> | undefined {
  const answer = answered(outcome);
  if (answer === undefined) return undefined;
  const parsed = parseOcsProvider(answer.body);
  return parsed.ok ? { url: answer.url, document: parsed.value } : undefined;
}

export function readStatusPhp(outcome: BackendProbeOutcome): ProbedDocument<StatusPhp> | undefined {
  const answer = answered(outcome);
  if (answer === undefined) return undefined;
  const parsed = parseStatusPhp(answer.body);
  return parsed.ok && parsed.value.ownCloudLike
    ? { url: answer.url, document: parsed.value }
    : undefined;
}
