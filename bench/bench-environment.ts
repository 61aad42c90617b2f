/** Where and on what a run happened: node, CPU, cores, load, date and git commit, recorded beside the figures. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { BenchEnvironment } from './bench-results.ts';

function git(args: readonly string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function isDirty(cwd: string): boolean | null {
  try {
    execFileSync('git', ['diff', '--quiet', 'HEAD', '--'], { cwd, stdio: 'ignore' });
    return false;
  } catch (error) {
    // Exit status 1 means "differs"; anything else (no git, no repo) means unknown.
    return (error as { status?: number }).status === 1 ? true : null;
  }
}

export function benchEnvironment(repoDir: string): BenchEnvironment {
  const cpus = os.cpus();
  const commit = git(['rev-parse', 'HEAD'], repoDir);
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.type()} ${os.release()}`,
    arch: process.arch,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    date: new Date().toISOString(),
    gitCommit: commit !== null && /^[0-9a-f]{40}$/.test(commit) ? commit : null,
    gitDirty: commit === null ? null : isDirty(repoDir),
  };
}
