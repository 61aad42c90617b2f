/** Bad configuration: one error that lists every problem and how to fix it, thrown before any listener starts. */

export interface ConfigProblem {
  /** Where: an environment variable name, or `file.yaml: path.to.key`. */
  readonly where: string;
  readonly problem: string;
  /** What a good value looks like. */
  readonly fix: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.where}: ${p.problem}\n      fix: ${p.fix}`);
    super(
      `Configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
