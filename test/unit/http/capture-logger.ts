/** A Logger that keeps every line in an array, for tests that assert on what was logged. */
import type { Logger } from '../../../gateway/ports/logger.ts';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

export function captureLogger(lines: LogLine[]): Logger {
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      lines.push({ level, message, fields });
    };
  const logger: Logger = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    http: at('http'),
    debug: at('debug'),
    child: () => logger,
  };
  return logger;
}
