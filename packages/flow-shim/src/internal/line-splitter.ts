/**
 * Splits a byte stream into `\n`-terminated lines without ever holding more than `maxLineBytes`
 * of one unfinished line, so a peer that never sends a newline cannot exhaust memory.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private linesSeen = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly tooLong: (lineNumber: number, maxLineBytes: number) => Error,
  ) {}

  /** Feeds a chunk; returns the lines it completed, without their `\n` (a `\r\n` ending keeps the `\r`). */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) break;
      const pieceBytes = newline - start;
      if (this.pendingBytes + pieceBytes > this.maxLineBytes) {
        throw this.tooLong(this.linesSeen + 1, this.maxLineBytes);
      }
      if (this.pending.length === 0) {
        lines.push(chunk.toString('utf8', start, newline));
      } else {
        this.pending.push(chunk.subarray(start, newline));
        lines.push(Buffer.concat(this.pending).toString('utf8'));
        this.pending = [];
        this.pendingBytes = 0;
      }
      this.linesSeen += 1;
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (this.pendingBytes + rest.length > this.maxLineBytes) {
        throw this.tooLong(this.linesSeen + 1, this.maxLineBytes);
      }
      // Copy: the caller may reuse the chunk's memory.
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
    return lines;
  }

  /** At end of input: the unterminated last line, if any. */
  end(): string | undefined {
    if (this.pending.length === 0) return undefined;
    const line = Buffer.concat(this.pending).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    this.linesSeen += 1;
    return line;
  }
}
