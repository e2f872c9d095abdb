/** Log levels the Flow runtime understands, most verbose first. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const levelOrder: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/**
 * Reads a level name the way the runtime does (any case; `warning`, `fatal`, `panic`, `critical`
 * accepted). Returns undefined for anything else.
 */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  switch (value?.trim().toLowerCase()) {
    case 'trace':
      return 'trace';
    case 'debug':
      return 'debug';
    case 'info':
      return 'info';
    case 'warn':
    case 'warning':
      return 'warn';
    case 'error':
    case 'fatal':
    case 'panic':
    case 'critical':
      return 'error';
    default:
      return undefined;
  }
}

/** Options of {@link ConnectorLogger}. */
export interface ConnectorLoggerOptions {
  /** Least severe level written. Defaults to `LOG_LEVEL` from the environment, else `info`. */
  level?: LogLevel;
  /** Where each line goes. Defaults to `process.stderr`. */
  write?: (line: string) => void;
  /** Clock for the `ts` field. Defaults to `Date.now`. */
  now?: () => number;
}

/**
 * Structured logs as the Flow runtime reads them: one JSON object per stderr line with `ts`
 * (RFC 3339), `level`, `msg` and optional `fields`. Never writes to stdout.
 */
export class ConnectorLogger {
  /** Least severe level written. */
  readonly level: LogLevel;
  private readonly sink: (line: string) => void;
  private readonly now: () => number;

  constructor(options: ConnectorLoggerOptions = {}) {
    this.level = options.level ?? parseLogLevel(process.env.LOG_LEVEL) ?? 'info';
    this.sink =
      options.write ??
      ((line) => {
        process.stderr.write(line);
      });
    this.now = options.now ?? Date.now;
  }

  /** True when a message at `level` would be written (use it to skip building costly fields). */
  enabled(level: LogLevel): boolean {
    return levelOrder[level] >= levelOrder[this.level];
  }

  /** Writes one log line when `level` is enabled. `fields` must be JSON-serialisable. */
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    const entry: Record<string, unknown> = { ts: new Date(this.now()).toISOString(), level, msg: message };
    if (fields && Object.keys(fields).length > 0) entry.fields = fields;
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      line = JSON.stringify({ ts: entry.ts, level, msg: message, fields: { unserializableFields: true } });
    }
    this.sink(`${line}\n`);
  }

  /** Logs at `trace`. */
  trace(message: string, fields?: Record<string, unknown>): void {
    this.log('trace', message, fields);
  }

  /** Logs at `debug`. */
  debug(message: string, fields?: Record<string, unknown>): void {
    this.log('debug', message, fields);
  }

  /** Logs at `info`. */
  info(message: string, fields?: Record<string, unknown>): void {
    this.log('info', message, fields);
  }

  /** Logs at `warn`. */
  warn(message: string, fields?: Record<string, unknown>): void {
    this.log('warn', message, fields);
  }

  /** Logs at `error`. */
  error(message: string, fields?: Record<string, unknown>): void {
    this.log('error', message, fields);
  }

  /** Logs a status line the Flow UI shows for the task (`fields.eventType = "connectorStatus"`). */
  status(message: string): void {
    this.log('info', message, { eventType: 'connectorStatus' });
  }

  /** Writes a raw line (no JSON); used for the final human-readable line of a failing connector. */
  writeRaw(line: string): void {
    this.sink(line.endsWith('\n') ? line : `${line}\n`);
  }
}
