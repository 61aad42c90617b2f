/**
 * Peak memory of this process while a transfer runs: RSS (the kernel's high-water mark when
 * available), heap + Buffers as sampled (garbage included), and optionally live heap + Buffers
 * after forced GCs (what the process really holds, as a buffering proxy would grow it).
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface MemoryFigures {
  readonly rss: number;
  /** heapUsed + arrayBuffers. */
  readonly live: number;
}

export interface MemoryPeak {
  readonly baseline: MemoryFigures;
  /** Sampled every 20 ms without forcing a GC: garbage not yet collected counts. */
  readonly peak: MemoryFigures;
  /** Kernel peak RSS (VmHWM after a reset), or null where /proc does not allow it. */
  readonly kernelPeakRss: number | null;
  /** Highest heap + Buffers right after a forced GC, or null when GC sampling was off. */
  readonly peakLiveAfterGc: number | null;
  readonly samples: number;
}

const SAMPLE_EVERY_MS = 20;
const gc = (globalThis as { gc?: () => void }).gc;

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
  #timers: NodeJS.Timeout[] = [];
  #baseline: MemoryFigures = now();
  #peak: MemoryFigures = this.#baseline;
  #peakAfterGc: number | null = null;
  #samples = 0;
  #kernel = false;

  /**
   * The baseline is taken after a full GC (node runs with --expose-gc). `gcEveryMs` > 0 also
   * forces a GC that often and records live memory right after it; it costs a few ms per GC, so
   * the timed transfers leave it off.
   */
  start(gcEveryMs = 0): MemoryFigures {
    this.stop();
    gc?.();
    this.#baseline = now();
    this.#peak = this.#baseline;
    this.#peakAfterGc = gcEveryMs > 0 && gc !== undefined ? this.#baseline.live : null;
    this.#samples = 0;
    this.#kernel = resetKernelPeak();
    this.#timers.push(
      setInterval(() => {
        const sample = now();
        this.#samples += 1;
        this.#peak = {
          rss: Math.max(this.#peak.rss, sample.rss),
          live: Math.max(this.#peak.live, sample.live),
        };
      }, SAMPLE_EVERY_MS),
    );
    if (this.#peakAfterGc !== null && gc !== undefined) {
      this.#timers.push(
        setInterval(() => {
          gc();
          this.#peakAfterGc = Math.max(this.#peakAfterGc ?? 0, now().live);
        }, gcEveryMs),
      );
    }
    return this.#baseline;
  }

  stop(): MemoryPeak {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    const last = now();
    return {
      baseline: this.#baseline,
      peak: {
        rss: Math.max(this.#peak.rss, last.rss),
        live: Math.max(this.#peak.live, last.live),
      },
      kernelPeakRss: this.#kernel ? kernelPeak() : null,
      peakLiveAfterGc: this.#peakAfterGc,
      samples: this.#samples,
    };
  }
}
