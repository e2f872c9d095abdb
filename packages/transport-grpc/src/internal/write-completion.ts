/**
 * Knowing when a write's bytes have left: the `http2` carrier writes a records piece's data without
 * copying it, so a sender that promises "the table may be reused once the call resolves" must wait
 * until the last piece is written. An aborted run never writes it; then waiting ends at once.
 */
export interface WriteCompletion {
  /** Pass to the last message of the write (`incomingRecordsMessage`/`outgoingRecordsMessage`). */
  readonly onWritten: () => void;
  /** Resolves once `onWritten` ran or `signal` aborted. Never rejects. */
  readonly written: Promise<void>;
}

/** A {@link WriteCompletion} that also ends when `signal` aborts. */
export function writeCompletion(signal: AbortSignal): WriteCompletion {
  let settle: () => void = () => undefined;
  const written = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const onAbort = () => settle();
  if (signal.aborted) settle();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    written,
    onWritten: () => {
      signal.removeEventListener('abort', onAbort);
      settle();
    },
  };
}
