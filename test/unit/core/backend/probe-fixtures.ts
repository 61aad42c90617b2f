/** Probe answers built from the legacy discovery fixtures (test/sim/fixtures/legacy, verbatim copies of the reference). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  BackendProbeOutcome,
  BackendProbeResults,
} from '../../../../gateway/core/backend/index.ts';

const DIR = fileURLToPath(new URL('../../../sim/fixtures/legacy/', import.meta.url));

interface FixtureResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}
interface Fixture {
  response: FixtureResponse;
  alternateResponses?: (FixtureResponse & { when: string })[];
}

export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8')) as Fixture;
}

export const BACKEND = 'https://backend.internal/nextcloud';

export function answer(path: string, r: FixtureResponse): BackendProbeOutcome {
  return {
    kind: 'answer',
    url: `${BACKEND}${path}`,
    status: r.status,
    contentType: r.headers?.['Content-Type'],
    body: typeof r.body === 'string' ? r.body : JSON.stringify(r.body),
  };
}

export function notFound(path: string): BackendProbeOutcome {
  return answer(path, { status: 404, body: '<html>Not found</html>' });
}

export function unreachable(path: string): BackendProbeOutcome {
  return { kind: 'failed', url: `${BACKEND}${path}`, failure: 'unreachable' };
}

export function alternate(name: string, when: string): FixtureResponse {
  const found = fixture(name).alternateResponses?.find((a) => a.when.includes(when));
  if (found === undefined) throw new Error(`${name} has no alternate "${when}"`);
  return found;
}

export function statusOf(version: string, productname?: string): FixtureResponse {
  return {
    status: 200,
    body: {
      installed: true,
      maintenance: false,
      version,
      versionstring: version.split('.').slice(0, 3).join('.'),
      edition: '',
      ...(productname === undefined ? {} : { productname }),
    },
  };
}

export function probes(parts: Partial<BackendProbeResults>): BackendProbeResults {
  return {
    ocmProvider: parts.ocmProvider ?? notFound('/ocm-provider/'),
    ocsProvider: parts.ocsProvider ?? notFound('/ocs-provider/'),
    statusPhp: parts.statusPhp ?? notFound('/status.php'),
  };
}
