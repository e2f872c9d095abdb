import type { ChunkAssembler, IpcChunk } from '@sdk/arrow-chunker';
import type { Table } from 'apache-arrow';
import { TransportError } from '../errors/transport-error.js';
import { reassemblyError } from './chunk-errors.js';

/** Where a piece belongs, for errors: the anchor and connection it names. */
export interface PieceOrigin {
  readonly anchorName: string;
  readonly connectionName: string;
}

/**
 * The bytes of incomplete Arrow streams held by several assemblers together (one per incoming connection
 * on the plugin, one per outgoing anchor on the engine). Each assembler caps its own stream with
 * `maxStreamBytes`; interleaved streams each under that cap could still add up without bound, and a stream
 * cannot be paused half-way, so their sum is capped here (`maxPendingStreamBytes`).
 */
export class PendingStreamBudget {
  private heldBytes = 0;
  /** Largest sum held at once (diagnostics; never above the cap). */
  highWaterBytes = 0;

  constructor(
    private readonly maxPendingStreamBytes: number,
    /** What the assemblers belong to, for error messages: incoming `anchor`s or `outgoing anchor`s. */
    private readonly anchorKind: 'anchor' | 'outgoing anchor',
  ) {}

  /**
   * Pushes the pieces of one received message (its data may arrive in several parts) into `assembler`
   * and returns the table they completed, if any. Throws `TRANSPORT_LIMIT_EXCEEDED`, before pushing
   * any of them, when they would take the sum past the cap, and turns the assembler's own errors into
   * TransportErrors naming `origin`.
   */
  push(assembler: ChunkAssembler, pieces: readonly IpcChunk[], origin: PieceOrigin): Table | undefined {
    const heldBefore = assembler.pendingBytes;
    try {
      let wouldHold = this.heldBytes;
      for (const piece of pieces) wouldHold += piece.data.byteLength;
      if (wouldHold > this.maxPendingStreamBytes) {
        throw new TransportError(
          'TRANSPORT_LIMIT_EXCEEDED',
          `${this.anchorKind} '${origin.anchorName}' connection '${origin.connectionName}': incomplete streams of all ${this.anchorKind === 'anchor' ? 'connections' : 'outgoing anchors'} would hold ${wouldHold} bytes, over maxPendingStreamBytes (${this.maxPendingStreamBytes})`,
          { anchorName: origin.anchorName, connectionName: origin.connectionName },
        );
      }
      let table: Table | undefined;
      for (const piece of pieces) table = assembler.push(piece);
      return table;
    } catch (error) {
      throw reassemblyError(error, origin.anchorName, origin.connectionName);
    } finally {
      this.heldBytes += assembler.pendingBytes - heldBefore;
      this.highWaterBytes = Math.max(this.highWaterBytes, this.heldBytes);
    }
  }
}
