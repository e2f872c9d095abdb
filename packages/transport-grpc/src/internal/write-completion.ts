/**
 * Knowing when a write's bytes have left: the `http2` carrier writes a records piece's data without
 * copying it, so a sender that promises "the table may be reused once the call resolves" must wait
 * until the last piece is written. An aborted run never writes it; then waiting ends at once.
 */
export interface WriteCompletion {
  /** Pass to the last message of the write (`incomingRecordsMessage`/`outgoingRecordsMessage`). */
  readonly onWritten: () => void;
  /** Resolves once `onWritten` ran or the run aborted. Never rejects. */
  readonly written: Promise<void>;
}

/**
 * The write completions of one run. One abort listener serves them all, however many writes wait at
 * once (one per connection or anchor sending): a listener per write would trip Node's
 * MaxListenersExceededWarning past ten.
 */
export class WriteCompletions {
  private readonly waiting = new Set<() => void>();

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener(
      'abort',
      () => {
        for (const settle of this.waiting) settle();
        this.waiting.clear();
      },
      { once: true },
    );
  }

  /** A completion for one write; already resolved when the run has aborted. */
  track(): WriteCompletion {
    let settle: () => void = () => undefined;
    const written = new Promise<void>((resolve) => {
      settle = resolve;
    });
    if (this.signal.aborted) settle();
    else this.waiting.add(settle);
    return {
      written,
      onWritten: () => {
        this.waiting.delete(settle);
        settle();
      },
    };
  }
}
