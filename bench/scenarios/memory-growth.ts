/** A proxy's memory growth during a transfer, in MiB over its idle post-GC baseline (the streaming scenarios). */
import type { MemoryPeak } from '../children/memory-watch.ts';

const MiB = 2 ** 20;

export interface Growth {
  readonly rss: number;
  readonly sampled: number;
  readonly liveAfterGc: number;
}

/** For a subject without a process of its own to watch (straight to the server). */
export const NO_GROWTH: Growth = { rss: Number.NaN, sampled: Number.NaN, liveAfterGc: Number.NaN };

/** Growth over the post-GC baseline; the kernel's exact peak RSS when /proc allows resetting it. */
export function growth(memory: MemoryPeak): Growth {
  const rssPeak = Math.max(memory.kernelPeakRss ?? 0, memory.peak.rss);
  return {
    rss: (rssPeak - memory.baseline.rss) / MiB,
    sampled: (memory.peak.live - memory.baseline.live) / MiB,
    liveAfterGc:
      memory.peakLiveAfterGc === null
        ? Number.NaN
        : (memory.peakLiveAfterGc - memory.baseline.live) / MiB,
  };
}
