/** The narrow logger services and adapters may use; the winston logger in observability/ implements it. */
export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  /** Access-log lines of plain pass-through traffic (GATEWAY_LOG_LEVEL=http or lower shows them). */
  http(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}
