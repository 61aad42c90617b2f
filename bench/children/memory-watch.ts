/** Peak memory of this process while a transfer runs: RSS (kernel high-water mark when available) and live JS heap + Buffers. */
import { readFileSync, writeFileSync } from 'node:fs';

export interface MemoryFigures {
  readonly rss: number;
  /** heapUsed + arrayBuffers: what grows if a body is held in memory. */
  readonly live: number;
}

export interface MemoryPeak {
  readonly baseline: MemoryFigures;
  readonly peak: MemoryFigures;
  /** Kernel peak RSS (VmHWM after a reset), or null where /proc does not allow it. */
  readonly kernelPeakRss: number | null;
  readonly samples: number;
}

const SAMPLE_EVERY_MS = 20;

function now(): MemoryFigures {
  const usage = process.memoryUsage();
  return { rss: usage.rss, live: usage.heapUsed + usage.arrayBuffers };
}

/** Writing 5 to clear_refs resets VmHWM (Linux ≥ 4.0), so the kernel tracks the peak exactly. */
function resetKernelPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function kernelPeak(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

export class MemoryWatch {
  #timer: NodeJS.Timeout | undefined;
  #baseline: MemoryFigures = now();
  #peak: MemoryFigures = this.#baseline;
  #samples = 0;
  #kernel = false;

  /** The baseline is taken after a full GC when node runs with --expose-gc. */
  start(): MemoryFigures {
    this.stop();
    (globalThis as { gc?: () => void }).gc?.();
    this.#baseline = now();
    this.#peak = this.#baseline;
    this.#samples = 0;
    this.#kernel = resetKernelPeak();
    this.#timer = setInterval(() => {
      const sample = now();
      this.#samples += 1;
      this.#peak = {
        rss: Math.max(this.#peak.rss, sample.rss),
        live: Math.max(this.#peak.live, sample.live),
      };
    }, SAMPLE_EVERY_MS);
    return this.#baseline;
  }

  stop(): MemoryPeak {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const last = now();
    const peak = {
      rss: Math.max(this.#peak.rss, last.rss),
      live: Math.max(this.#peak.live, last.live),
    };
    return {
      baseline: this.#baseline,
      peak,
      kernelPeakRss: this.#kernel ? kernelPeak() : null,
      samples: this.#samples,
    };
  }
}
