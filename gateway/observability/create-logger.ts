/** winston JSON logger, one object per line, with every field and message passed through redact(). */
import winston from 'winston';
import type { Logger } from '../ports/logger.ts';
import { redact, redactText } from './redact.ts';

export interface CreateLoggerOptions {
  readonly level: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read lines back. */
  readonly stream?: NodeJS.WritableStream;
  readonly base?: Record<string, unknown>;
}

const redactFormat = winston.format((info) => {
  const cleaned = redact({ ...info }) as Record<string | symbol, unknown>;
  for (const key of Object.keys(info)) {
    if (key !== 'level') info[key] = cleaned[key];
  }
  if (typeof info.message === 'string') info.message = redactText(info.message);
  return info;
});

export function createLogger(options: CreateLoggerOptions): Logger {
  const transport = new winston.transports.Stream({ stream: options.stream ?? process.stdout });
  const root = winston.createLogger({
    level: options.level,
    defaultMeta: { service: 'ocm-gateway', ...options.base },
    format: winston.format.combine(
      winston.format.timestamp(),
      redactFormat(),
      // Keys in the order they were given: sorting them (the default) costs more than the line.
      winston.format.json({ deterministic: false }),
    ),
    // winston types its transports as interfaces, not as the TransportStream class they are.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    transports: [transport],
  });
  return wrap(root);
}

function wrap(target: winston.Logger): Logger {
  // winston formats a line (timestamp, redaction, JSON) before its transport drops it for its
  // level: ask first, so debug and pass-through access lines cost nothing when they are off.
  const at =
    (level: 'error' | 'warn' | 'info' | 'http' | 'debug') =>
    (message: string, fields?: Record<string, unknown>) => {
      if (target.isLevelEnabled(level)) target.log(level, message, fields);
    };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    http: at('http'),
    debug: at('debug'),
    child: (fields) => wrap(target.child(fields)),
  };
}
