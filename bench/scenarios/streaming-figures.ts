/** The rows of the WebDAV streaming scenario, with the targets of issue 4 (≥ 0.7× direct, ≤ 64 MiB growth). */
import type { PlannedFigure } from './scenario-context.ts';

const MEMORY_TARGET = { comparator: '<=', value: 64 } as const;

export const STREAMING_FIGURES: readonly PlannedFigure[] = [
  {
    id: 'get-gateway-vs-direct',
    label: 'WebDAV GET (public pass-through): throughput gateway ÷ direct',
    unit: '×',
    state: 'embedded',
    target: { comparator: '>=', value: 0.7 },
  },
  {
    id: 'put-gateway-vs-direct',
    label: 'WebDAV PUT (public pass-through): throughput gateway ÷ direct',
    unit: '×',
    state: 'embedded',
    target: { comparator: '>=', value: 0.7 },
  },
  {
    id: 'get-bare-vs-direct',
    label: 'WebDAV GET: throughput bare node:http proxy ÷ direct (the hop alone)',
    unit: '×',
    state: 'none',
  },
  {
    id: 'put-bare-vs-direct',
    label: 'WebDAV PUT: throughput bare node:http proxy ÷ direct (the hop alone)',
    unit: '×',
    state: 'none',
  },
  {
    id: 'get-relay-vs-direct',
    label: 'WebDAV GET: throughput of a byte relay in node (net.Socket pipe, no HTTP) ÷ direct',
    unit: '×',
    state: 'none',
  },
  {
    id: 'put-relay-vs-direct',
    label: 'WebDAV PUT: throughput of a byte relay in node (net.Socket pipe, no HTTP) ÷ direct',
    unit: '×',
    state: 'none',
  },
  {
    id: 'get-gateway-vs-bare',
    label: "WebDAV GET: throughput gateway ÷ bare proxy (the gateway's own cost)",
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'put-gateway-vs-bare',
    label: "WebDAV PUT: throughput gateway ÷ bare proxy (the gateway's own cost)",
    unit: '×',
    state: 'embedded',
  },
  {
    id: 'peak-rss-growth',
    label: 'WebDAV streaming: gateway peak RSS growth',
    unit: 'MiB',
    state: 'embedded',
    target: MEMORY_TARGET,
    judgedOn: 'max',
  },
  {
    id: 'live-after-gc-growth',
    label: 'WebDAV streaming: gateway live heap + Buffers growth (after GC)',
    unit: 'MiB',
    state: 'embedded',
    target: MEMORY_TARGET,
    judgedOn: 'max',
  },
  {
    id: 'sampled-heap-growth',
    label: 'WebDAV streaming: gateway heap + Buffers growth as sampled (garbage included)',
    unit: 'MiB',
    state: 'embedded',
    judgedOn: 'max',
  },
  {
    id: 'bare-peak-rss-growth',
    label: 'WebDAV streaming: bare proxy peak RSS growth (baseline)',
    unit: 'MiB',
    state: 'none',
    judgedOn: 'max',
  },
  {
    id: 'bare-live-after-gc-growth',
    label: 'WebDAV streaming: bare proxy live heap + Buffers growth (after GC, baseline)',
    unit: 'MiB',
    state: 'none',
    judgedOn: 'max',
  },
];
