/**
 * Logger handed to streams. Lines become LOG messages on stdout, in order with records (never raw
 * text on stdout). `debug` lines are dropped unless the read runs with `--debug` / `debug: true`.
 * Secrets from the config are masked.
 */
export interface SourceLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
