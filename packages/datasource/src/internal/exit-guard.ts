// Writers holding records that are not delivered yet, so that a process about to exit does not drop
// them silently (the Python SDK's daemon thread does). A writer is listed only while it holds
// records, so forgotten writers are not kept alive in memory.

/** What the guard needs from a writer. */
export interface ExitGuarded {
  /** Records written and neither delivered nor given up on. */
  readonly pendingRecordCount: number;
  /** `true`: flush when the event loop runs empty; `false`: only warn. */
  readonly flushOnExit: boolean;
  /** Sends everything; resolves with how many records failed every attempt. */
  flushAtExit(): Promise<number>;
}

const pending = new Set<ExitGuarded>();
let installed = false;

function warn(message: string): void {
  process.emitWarning(message, { type: 'DatasourceWarning', code: 'SDK_DATASOURCE_UNFLUSHED' });
}

// The event loop ran empty (no process.exit()): async work started here still runs.
function onBeforeExit(): void {
  for (const writer of [...pending]) {
    const count = writer.pendingRecordCount;
    if (!writer.flushOnExit) {
      pending.delete(writer);
      warn(
        `a PanoplyWriter still held ${count} undelivered records when the process ran out of work; they are dropped (flushOnExit is false). Await writer.close() before exiting.`,
      );
      continue;
    }
    warn(
      `a PanoplyWriter still held ${count} undelivered records when the process ran out of work; flushing them now. Await writer.close() (or flush()) before exiting to make this explicit.`,
    );
    pending.delete(writer);
    void writer.flushAtExit().then((failed) => {
      if (failed > 0) warn(`${failed} records could not be delivered at exit; they are lost.`);
    });
  }
}

// process.exit() or a fatal error: nothing asynchronous can run any more, so say what is lost.
function onExit(): void {
  for (const writer of pending) {
    const count = writer.pendingRecordCount;
    if (count > 0) {
      console.error(
        `@sdk/datasource: the process exited with ${count} records a PanoplyWriter had not delivered; they are lost. Await writer.close() before exiting.`,
      );
    }
  }
}

/** Lists a writer that now holds undelivered records. */
export function guardPendingRecords(writer: ExitGuarded): void {
  pending.add(writer);
  if (!installed) {
    installed = true;
    process.on('beforeExit', onBeforeExit);
    process.on('exit', onExit);
  }
}

/** Unlists a writer that holds nothing undelivered any more. */
export function releasePendingRecords(writer: ExitGuarded): void {
  pending.delete(writer);
}
