import type { ProgressEvent } from '../data-source';

/** How the runner shows progress. `auto`: a bar on a terminal, log lines otherwise. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  /** Where to write. Defaults to `process.stderr`. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Defaults to `'auto'`. */
  mode?: ProgressMode;
  /** Shown before the bar or line. */
  label?: string;
  /** Minimum time between two progress lines in `lines` mode (the last one always shows). Defaults to 1000 ms. */
  lineIntervalMs?: number;
  /** Minimum time between two redraws of the bar. Defaults to 100 ms. */
  barIntervalMs?: number;
}

/** Shows `progress()` events and log lines without the two garbling each other. */
export interface ProgressReporter {
  update(event: ProgressEvent): void;
  log(line: string): void;
  /** Prints the last unprinted progress and ends the bar line. */
  finish(): void;
}

const BAR_WIDTH = 30;

function describe(event: ProgressEvent): string {
  const { loaded, total, msg } = event;
  const counts =
    loaded !== null && total !== null && total > 0
      ? `${loaded}/${total} (${Math.min(100, Math.floor((loaded / total) * 100))}%)`
      : loaded !== null
        ? `${loaded}`
        : '';
  return [counts, msg].filter((part) => part !== '').join(' ');
}

function renderBar(label: string, event: ProgressEvent): string {
  const { loaded, total } = event;
  const ratio = loaded !== null && total !== null && total > 0 ? Math.min(1, loaded / total) : undefined;
  const bar =
    ratio === undefined ? '' : `[${'#'.repeat(Math.round(ratio * BAR_WIDTH)).padEnd(BAR_WIDTH, '-')}] `;
  return `${label}${bar}${describe(event)}`;
}

/** Creates the reporter the runner uses; exported for sources and tools that run their own loops. */
export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const requested = options.mode ?? 'auto';
  const mode = requested === 'auto' ? (stream.isTTY === true ? 'bar' : 'lines') : requested;
  const label = options.label === undefined || options.label === '' ? '' : `${options.label} `;
  const lineIntervalMs = options.lineIntervalMs ?? 1000;
  const barIntervalMs = options.barIntervalMs ?? 100;
  let lastShownAt = Number.NEGATIVE_INFINITY;
  let pending: ProgressEvent | undefined;
  let latest: ProgressEvent | undefined;
  let barVisible = false;

  const drawBar = (event: ProgressEvent): void => {
    stream.write(`\r\x1b[K${renderBar(label, event)}`);
    barVisible = true;
  };

  return {
    update(event: ProgressEvent): void {
      if (mode === 'none') return;
      latest = event;
      const now = Date.now();
      const done = event.loaded !== null && event.total !== null && event.loaded >= event.total;
      const interval = mode === 'bar' ? barIntervalMs : lineIntervalMs;
      if (!done && now - lastShownAt < interval) {
        pending = event;
        return;
      }
      lastShownAt = now;
      pending = undefined;
      if (mode === 'bar') drawBar(event);
      else stream.write(`${label}progress ${describe(event)}\n`);
    },
    log(line: string): void {
      if (barVisible) stream.write('\r\x1b[K');
      stream.write(`${line}\n`);
      barVisible = false;
      // Keeps the bar as the last line of the terminal.
      if (mode === 'bar' && latest !== undefined) drawBar(latest);
    },
    finish(): void {
      if (pending !== undefined) {
        if (mode === 'bar') drawBar(pending);
        else if (mode === 'lines') stream.write(`${label}progress ${describe(pending)}\n`);
        pending = undefined;
      }
      if (barVisible) stream.write('\n');
      barVisible = false;
      latest = undefined;
    },
  };
}
