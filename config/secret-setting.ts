/**
 * A secret given either in a variable or in a file another variable names (a Docker/Kubernetes
 * secret), never both. Problems name the variable, never the value.
 */
import type { ConfigProblem } from './config-error.ts';

export interface SecretSetting {
  readonly text: string;
  /** The variable it came from: the value's own, or the `_FILE` one. */
  readonly where: string;
  readonly fromFile: boolean;
}

export function readSecretSetting(
  names: { readonly variable: string; readonly file: string },
  values: { readonly variable: string | undefined; readonly file: string | undefined },
  readFile: (path: string) => string,
  problems: ConfigProblem[],
  fileFix: string,
): SecretSetting | undefined {
  if (values.variable !== undefined && values.file !== undefined) {
    problems.push({
      where: names.file,
      problem: `set together with ${names.variable}`,
      fix: 'set only one of the two',
    });
    return undefined;
  }
  if (values.file === undefined) {
    return values.variable === undefined
      ? undefined
      : { text: values.variable, where: names.variable, fromFile: false };
  }
  try {
    return { text: readFile(values.file), where: names.file, fromFile: true };
  } catch {
    problems.push({ where: names.file, problem: `cannot read ${values.file}`, fix: fileFix });
    return undefined;
  }
}
