/**
 * The legacy end of discovery (legacy-protocols §2.1, §2.2): `/ocs-provider/` (then `/status.php`
 * for the product name), or `/status.php` alone for servers older than ownCloud 9.
 */
import {
  parseOcsProvider,
  parseStatusPhp,
  type StatusPhp,
} from '../../gateway/core/dialects/ocs-common/index.ts';
import type { PeerJsonResponse } from '../../gateway/ports/peer-http.ts';
import type { DiscoveryStep, SchemePlan } from './discovery-plan.ts';
import { isSuccess, requestDiscoveryDocument } from './discovery-request.ts';
import { found, type SchemeEnd, type Walk } from './discovery-walk.ts';
import { normaliseLegacyEvidence } from './normalise-legacy-document.ts';

/** `/ocs-provider/` (then `/status.php` for the product) or `/status.php` alone. */
export async function legacyStep(
  walk: Walk,
  plan: SchemePlan,
  step: DiscoveryStep,
  url: string,
  res: PeerJsonResponse,
): Promise<SchemeEnd | undefined> {
  const base = { peer: walk.peer, baseUrl: plan.baseUrl };
  if (step === 'ocs-provider') {
    const parsed = parseOcsProvider(res.json, 'lenient');
    if (!parsed.ok) {
      walk.attempts.push({
        url,
        outcome: 'not-a-document',
        status: res.status,
        detail: 'not an /ocs-provider/ document',
      });
      return undefined;
    }
    if (parsed.value.federatedSharing === undefined) {
      walk.attempts.push({
        url,
        outcome: 'disabled',
        status: res.status,
        detail: 'FEDERATED_SHARING is not advertised',
      });
      return { kind: 'exhausted', disabled: true, maintenance: false };
    }
    walk.attempts.push({ url, outcome: 'document', status: res.status });
    const status = await readStatus(walk, plan);
    const capabilities = normaliseLegacyEvidence({
      ...base,
      provider: { url: res.url, document: parsed.value },
      ...(status !== undefined && { status }),
      warnings: parsed.warnings.map((w) => `${w.field}: ${w.message}`),
    });
    return { kind: 'found', outcome: found(walk, capabilities, res) };
  }
  const status = ownCloudStatus(res.json);
  if (status === undefined) {
    walk.attempts.push({
      url,
      outcome: 'not-a-document',
      status: res.status,
      detail: 'not an ownCloud-family status.php',
    });
    return undefined;
  }
  if (status.maintenance) {
    walk.attempts.push({
      url,
      outcome: 'failed',
      status: res.status,
      detail: 'in maintenance mode',
    });
    return undefined;
  }
  walk.attempts.push({ url, outcome: 'document', status: res.status });
  const capabilities = normaliseLegacyEvidence({
    ...base,
    status: { url: res.url, document: status },
    warnings: ['no /ocs-provider/: dialects guessed from status.php'],
  });
  return { kind: 'found', outcome: found(walk, capabilities, res) };
}

/** A status.php that old receivers would believe (non-empty version, installed), else undefined. */
function ownCloudStatus(json: unknown): StatusPhp | undefined {
  const parsed = parseStatusPhp(json);
  return parsed.ok && parsed.value.ownCloudLike && parsed.value.installed
    ? parsed.value
    : undefined;
}

/** Best effort: the product and version only name the peer, they do not decide anything. */
async function readStatus(
  walk: Walk,
  plan: SchemePlan,
): Promise<{ url: string; document: StatusPhp } | undefined> {
  const url = plan.steps.find((s) => s.step === 'status')?.url;
  if (url === undefined) return undefined;
  const got = await requestDiscoveryDocument({ ...walk, url });
  if (!got.ok || !isSuccess(got.response.status)) return undefined;
  const document = ownCloudStatus(got.response.json);
  return document === undefined ? undefined : { url: got.response.url, document };
}
