/** Test helper: replays a legacy fixture's request against a simulator and returns what came back,
 * so self-tests can compare it with the fixture's expected response. */
import { readFileSync } from 'node:fs';
import { encodeForm } from '../common/form-body.ts';
import { OutgoingClient, type OutgoingResponse } from '../common/outgoing-http.ts';

export interface FixtureResponse {
  when?: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface Fixture {
  title: string;
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: unknown;
    bodyEncoding?: string;
  };
  response: FixtureResponse;
  alternateResponses?: FixtureResponse[];
}

const DIR = new URL('../fixtures/legacy/', import.meta.url);

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as Fixture;
}

/** The alternate response whose `when` contains `needle`. */
export function alternate(f: Fixture, needle: string): FixtureResponse {
  const found = f.alternateResponses?.find((a) => a.when?.includes(needle) === true);
  if (found === undefined)
    throw new Error(`${f.title}: no alternate response matching '${needle}'`);
  return found;
}

export interface ReplayOptions {
  /** Fixture base URL to replace with `simUrl`, e.g. https://nc.example.org/nextcloud */
  fixtureBase: string;
  /** Replaces the request body (same encoding). */
  body?: unknown;
  /** Replaces the path below the base (e.g. to send an OCM fixture to the other vendor's endPoint). */
  path?: string;
  /** Replaces the query string (including '?'), e.g. '' to drop ?format=json. */
  search?: string;
}

function encodeBody(f: Fixture, body: unknown): string | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return body;
  const enc = f.request.bodyEncoding ?? f.request.headers['Content-Type'] ?? '';
  if (enc.startsWith('application/x-www-form-urlencoded'))
    return encodeForm(body as Record<string, string>);
  return JSON.stringify(body);
}

export async function replay(
  simUrl: string,
  f: Fixture,
  o: ReplayOptions,
): Promise<OutgoingResponse> {
  const fixtureUrl = new URL(f.request.url);
  if (o.path === undefined && !f.request.url.startsWith(o.fixtureBase)) {
    throw new Error(`${f.request.url} is not below ${o.fixtureBase}`);
  }
  const simBase = new URL(simUrl).pathname.replace(/\/+$/, '');
  const fixtureBasePath = new URL(o.fixtureBase).pathname.replace(/\/+$/, '');
  const url = new URL(simUrl);
  url.pathname = simBase + (o.path ?? fixtureUrl.pathname.slice(fixtureBasePath.length));
  url.search = o.search ?? fixtureUrl.search;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.request.headers)) {
    if (!['host', 'content-length'].includes(k.toLowerCase())) headers[k.toLowerCase()] = v;
  }
  const body = encodeBody(f, o.body !== undefined ? o.body : f.request.body);
  return new OutgoingClient().request({ method: f.request.method, url: url.href, headers, body });
}

function mediaType(v: string | undefined): string {
  return (v ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Status, media type (and charset when the fixture names one) and body as the fixture expects. */
export function expectedParts(
  res: OutgoingResponse,
  expected: FixtureResponse,
): { actual: unknown; wanted: unknown } {
  const wantedType = expected.headers['Content-Type'];
  const actualType = res.headers['content-type'];
  const typeOk =
    wantedType === undefined ||
    (wantedType.includes(';')
      ? wantedType.toLowerCase() === actualType?.toLowerCase()
      : mediaType(wantedType) === mediaType(actualType));
  let body: unknown = res.text;
  if (typeof expected.body !== 'string') {
    try {
      body = JSON.parse(res.text) as unknown;
    } catch {
      body = res.text;
    }
  }
  return {
    actual: { status: res.status, contentType: typeOk ? 'as expected' : actualType, body },
    wanted: { status: expected.status, contentType: 'as expected', body: expected.body },
  };
}
