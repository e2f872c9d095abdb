import type { ProgressEvent } from '../data-source';

/** How the runner shows progress. `auto`: a bar on a terminal, log lines otherwise. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  /** Where to write. Defaults to `process.stderr`. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Defaults to `'auto'`. */
  mode?: ProgressMode;
  /** Shown before the bar or line. */
  label?: string;
  /** Minimum time between two progress lines in `lines` mode (the last one always shows). Defaults to 1000 ms. */
  lineIntervalMs?: number;
  /** Minimum time between two redraws of the bar (10 per second at most). Defaults to 100 ms. */
  barIntervalMs?: number;
  /** Colour in `bar` mode. Defaults to true unless the `NO_COLOR` environment variable is non-empty. */
  color?: boolean;
  /** The clock, in milliseconds. Defaults to `performance.now`. */
  now?: () => number;
}

/** Shows `progress()` events, the runner's counts and log lines without garbling each other. */
export interface ProgressReporter {
  update(event: ProgressEvent): void;
  /** The records (and encoded bytes, when known) written so far. */
  records(count: number, bytes?: number): void;
  log(line: string): void;
  /** Prints the last unprinted progress and ends the bar line. */
  finish(): void;
}

const BAR_WIDTH = 30;
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const pad = (value: number) => String(value).padStart(2, '0');
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds % 60)}` : `${minutes}:${pad(seconds % 60)}`;
}

function describeEvent(event: ProgressEvent | undefined): string {
  if (event === undefined) return '';
  const { loaded, total, msg } = event;
  const counts =
    loaded !== null && total !== null && total > 0
      ? `${loaded}/${total} (${Math.min(100, Math.floor((loaded / total) * 100))}%)`
      : loaded !== null
        ? `${loaded}`
        : '';
  return [counts, msg].filter((part) => part !== '').join(' ');
}

function fractionOf(event: ProgressEvent | undefined): number | undefined {
  if (event === undefined) return undefined;
  const { loaded, total } = event;
  return loaded !== null && total !== null && total > 0 ? Math.min(1, loaded / total) : undefined;
}

/**
 * Creates the reporter the runner uses; exported for sources and tools that run their own loops.
 * `bar` redraws one line in place (`\r`, erase to end of line) at most every `barIntervalMs` and at
 * least once a second: the source's `progress()` as a bar, then records, bytes, records/s, elapsed
 * time and, when the source gives a total, an ETA. `lines` prints the same as plain lines.
 */
export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const requested = options.mode ?? 'auto';
  const mode = requested === 'auto' ? (stream.isTTY === true ? 'bar' : 'lines') : requested;
  const label = options.label ?? '';
  const lineIntervalMs = options.lineIntervalMs ?? 1000;
  const barIntervalMs = options.barIntervalMs ?? 100;
  const noColor = process.env.NO_COLOR;
  const color = mode === 'bar' && (options.color ?? (noColor === undefined || noColor === ''));
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  let lastShownAt = Number.NEGATIVE_INFINITY;
  let latest: ProgressEvent | undefined;
  let recordCount: number | undefined;
  let byteCount: number | undefined;
  let unshown = false;
  let barVisible = false;

  const stats = (): string => {
    if (recordCount === undefined) return '';
    const elapsedMs = now() - startedAt;
    const rate = elapsedMs > 0 ? Math.round((recordCount / elapsedMs) * 1000) : 0;
    const parts = [`${formatCount(recordCount)} records`];
    if (byteCount !== undefined) parts.push(formatBytes(byteCount));
    parts.push(`${formatCount(rate)} records/s`, `${formatDuration(elapsedMs)} elapsed`);
    const fraction = fractionOf(latest);
    if (fraction !== undefined && fraction > 0 && fraction < 1)
      parts.push(`ETA ${formatDuration((elapsedMs * (1 - fraction)) / fraction)}`);
    return parts.join(', ');
  };

  const render = (painted: boolean): string => {
    const fraction = fractionOf(latest);
    const bar =
      mode === 'bar' && fraction !== undefined
        ? `[${'#'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, '-')}] `
        : '';
    const head = mode === 'bar' ? label : `${label === '' ? '' : `${label} `}progress`;
    const event = `${bar}${describeEvent(latest)}`.trimEnd();
    const counts = stats();
    const body = [event, counts].filter((part) => part !== '').join('  ');
    if (head === '') return body;
    return painted ? `\x1b[1m${head}\x1b[22m ${body}` : `${head} ${body}`;
  };

  // A live line must not wrap: `\r` only returns to the start of the last row.
  const fit = (text: string): string => {
    const columns = stream.columns;
    if (columns === undefined || columns <= 1 || text.length < columns) return text;
    return `${text.slice(0, columns - 2)}…`;
  };

  const show = (): void => {
    lastShownAt = now();
    unshown = false;
    if (mode === 'bar') {
      const text = render(false);
      const fitted = fit(text);
      // Colour only on a line that fits whole: a cut could fall inside an escape sequence.
      stream.write(`\r${color && fitted === text ? render(true) : fitted}\x1b[K`);
      barVisible = true;
    } else if (mode === 'lines') {
      stream.write(`${render(false)}\n`);
    }
  };

  const changed = (done: boolean): void => {
    if (mode === 'none') return;
    unshown = true;
    const interval = mode === 'bar' ? barIntervalMs : lineIntervalMs;
    if (done || now() - lastShownAt >= interval) show();
  };

  // The clock moves even when nothing else does: elapsed time stays true on the bar. Never keeps the
  // process alive.
  let ticker: ReturnType<typeof setInterval> | undefined;
  if (mode === 'bar') {
    ticker = setInterval(() => {
      if (barVisible) show();
    }, 1000);
    ticker.unref();
  }

  return {
    update(event: ProgressEvent): void {
      latest = event;
      changed(event.loaded !== null && event.total !== null && event.loaded >= event.total);
    },
    records(count: number, bytes?: number): void {
      recordCount = count;
      byteCount = bytes;
      changed(false);
    },
    log(line: string): void {
      if (barVisible) stream.write('\r\x1b[K');
      stream.write(`${line}\n`);
      barVisible = false;
      // Keeps the bar as the last line of the terminal.
      if (mode === 'bar' && (latest !== undefined || recordCount !== undefined)) show();
    },
    finish(): void {
      if (ticker !== undefined) clearInterval(ticker);
      ticker = undefined;
      if (unshown) show();
      if (barVisible) stream.write('\n');
      barVisible = false;
      latest = undefined;
      recordCount = undefined;
    },
  };
}

/**
 * `1234567` -> `1,234,567`. Not `toLocaleString`: Intl's first use costs about 50 ms of start-up, a
 * tenth of a short run.
 */
function formatCount(count: number): string {
  return String(Math.round(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
