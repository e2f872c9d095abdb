/** A stream progress is written to: `process.stderr` fits. */
export interface ProgressLineStream {
  write(text: string): unknown;
  /** True on a terminal: the line is redrawn in place, otherwise plain lines are printed. */
  readonly isTTY?: boolean;
  /** The terminal's width in characters; a live line is cut to it so that it never wraps. */
  readonly columns?: number;
}

/** Options of {@link ProgressLine}. */
export interface ProgressLineOptions {
  /** Where progress goes; never a stream a protocol is spoken on. Defaults to `process.stderr`. */
  stream?: ProgressLineStream;
  /** Shown first on every line, e.g. the command's name. Defaults to none. */
  label?: string;
  /** Print nothing at all (`--quiet`). Defaults to false. */
  quiet?: boolean;
  /** Minimum time between two redraws of the live line, in milliseconds. Defaults to 100 (10 per second). */
  redrawIntervalMs?: number;
  /** Time between two plain lines when the stream is not a terminal, in milliseconds. Defaults to 5000. */
  lineIntervalMs?: number;
  /** Colour on a terminal. Defaults to true unless the `NO_COLOR` environment variable is non-empty. */
  color?: boolean;
  /** The clock, in milliseconds. Defaults to `performance.now`. */
  now?: () => number;
  /**
   * Writes a plain line (not on a terminal), e.g. as a structured log line where stderr carries
   * logs a program reads. Defaults to writing the text and a newline to `stream`.
   */
  plainLine?: (text: string) => void;
}

/** What {@link ProgressLine.update} reports: totals so far, not increments. */
export interface ProgressCounts {
  /** Records so far. */
  records: number;
  /** Bytes so far, when known. */
  bytes?: number;
  /** Records expected in all, when known: the line then shows an ETA. */
  total?: number;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` -> `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** `75_000` ms -> `1:15`; an hour or more -> `1:02:03`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const pad = (value: number) => String(value).padStart(2, '0');
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds % 60)}` : `${minutes}:${pad(seconds % 60)}`;
}

/**
 * `1234567` -> `1,234,567`. Not `toLocaleString`: Intl's first use costs about 50 ms of start-up, a
 * tenth of a short run.
 */
function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A progress display for a person: on a terminal one line, redrawn in place (`\r`, erase to end of
 * line) at most 10 times a second and at least once a second, with records, bytes, rate, elapsed time
 * and, when a total is known, an ETA; elsewhere a plain line every few seconds. {@link finish} prints
 * the summary. Other output goes through {@link log} so that it never garbles the live line.
 */
export class ProgressLine {
  private readonly stream: ProgressLineStream;
  private readonly live: boolean;
  private readonly quiet: boolean;
  private readonly color: boolean;
  private readonly label: string;
  private readonly redrawIntervalMs: number;
  private readonly lineIntervalMs: number;
  private readonly now: () => number;
  private readonly plainLine: (text: string) => void;
  private readonly startedAt: number;
  private latest: ProgressCounts = { records: 0 };
  private lastDrawnAt = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private finished = false;

  constructor(options: ProgressLineOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.quiet = options.quiet ?? false;
    this.live = this.stream.isTTY === true;
    const noColor = process.env.NO_COLOR;
    this.color = this.live && (options.color ?? (noColor === undefined || noColor === ''));
    this.label = options.label ?? '';
    this.redrawIntervalMs = options.redrawIntervalMs ?? 100;
    this.lineIntervalMs = options.lineIntervalMs ?? 5000;
    this.now = options.now ?? (() => performance.now());
    this.plainLine = options.plainLine ?? ((text) => this.stream.write(`${text}\n`));
    this.startedAt = this.now();
    // A live line shows at once; a plain line only once there is something to say (not "0 records").
    if (!this.live) this.lastDrawnAt = this.startedAt;
    if (this.quiet) return;
    // The clock moves even when no record does: elapsed time and rate stay true. The timer never
    // keeps the process alive.
    const tick = this.live ? 1000 : this.lineIntervalMs;
    this.timer = setInterval(() => this.draw(), tick);
    this.timer.unref();
  }

  /** The totals of the last {@link update}. */
  get counts(): ProgressCounts {
    return this.latest;
  }

  /** Records the totals so far; redraws when the last redraw is old enough. */
  update(counts: ProgressCounts): void {
    this.latest = counts;
    if (this.quiet || this.finished) return;
    const interval = this.live ? this.redrawIntervalMs : this.lineIntervalMs;
    if (this.now() - this.lastDrawnAt >= interval) this.draw();
  }

  /**
   * Prints a whole line (a log message, shown even when quiet) above the live line, which is drawn
   * again below it.
   */
  log(line: string): void {
    if (this.live && this.drawn) this.stream.write('\r\x1b[K');
    this.stream.write(`${line}\n`);
    this.drawn = false;
    if (this.live && !this.quiet && !this.finished) this.draw();
  }

  /**
   * Stops the clock and prints the summary: the live line's last state, or one plain line, with
   * `outcome` (e.g. `done`, `failed`). Idempotent.
   */
  finish(outcome = 'done'): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.quiet) return;
    const text = this.describe(outcome);
    if (this.live) this.stream.write(`\r${this.fit(text)}\x1b[K\n`);
    else this.plainLine(text);
    this.drawn = false;
  }

  private draw(): void {
    if (this.quiet || this.finished) return;
    this.lastDrawnAt = this.now();
    const text = this.describe(undefined);
    if (this.live) {
      this.stream.write(`\r${this.fit(text)}\x1b[K`);
      this.drawn = true;
    } else {
      this.plainLine(text);
    }
  }

  /** A live line must not wrap: `\r` only returns to the start of the last row. */
  private fit(text: string): string {
    const columns = this.stream.columns;
    if (columns === undefined || columns <= 1) return this.paint(text);
    return this.paint(text.length < columns ? text : `${text.slice(0, columns - 2)}…`);
  }

  /** Dims what follows the counts; only colour codes, so NO_COLOR leaves plain text. */
  private paint(text: string): string {
    if (!this.color) return text;
    const split = text.indexOf('  ');
    return split < 0 ? text : `\x1b[1m${text.slice(0, split)}\x1b[22m\x1b[2m${text.slice(split)}\x1b[22m`;
  }

  private describe(outcome: string | undefined): string {
    const elapsedMs = this.now() - this.startedAt;
    const { records, bytes, total } = this.latest;
    const seconds = elapsedMs / 1000;
    const rate = seconds > 0 ? records / seconds : 0;
    const parts = [
      total === undefined
        ? `${formatCount(records)} records`
        : `${formatCount(records)}/${formatCount(total)} records`,
    ];
    if (bytes !== undefined) parts.push(formatBytes(bytes));
    parts.push(`${formatCount(Math.round(rate))} records/s`, `${formatDuration(elapsedMs)} elapsed`);
    if (outcome === undefined && total !== undefined && rate > 0 && records < total)
      parts.push(`ETA ${formatDuration(((total - records) / rate) * 1000)}`);
    const head = [this.label, outcome].filter((part) => part !== undefined && part !== '').join(' ');
    const counts = parts.join(', ');
    return head === '' ? counts : `${head}  ${counts}`;
  }
}
