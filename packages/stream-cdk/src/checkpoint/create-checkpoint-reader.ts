import type { JsonObject, SyncMode } from '../protocol/airbyte-protocol';
import type { SourceLogger } from '../stream/source-logger';
import type { Stream } from '../stream/stream';
import type { CheckpointReader } from './checkpoint-reader';
import { CursorBasedCheckpointReader } from './cursor-based-checkpoint-reader';
import { FullRefreshCheckpointReader } from './full-refresh-checkpoint-reader';
import { IncrementalCheckpointReader } from './incremental-checkpoint-reader';
import {
  ResumableFullRefreshCheckpointReader,
  type ResumableFullRefreshOptions,
} from './resumable-full-refresh-checkpoint-reader';

/** What {@link createCheckpointReader} needs besides the stream. */
export interface CreateCheckpointReaderArgs {
  syncMode: SyncMode;
  cursorField: string[] | undefined;
  /** The stream's incoming state (`{}` when none). */
  streamState: JsonObject;
  logger: SourceLogger;
  /** Resumable full refresh options (completion value, ignoring incoming completion). */
  resumableFullRefresh?: ResumableFullRefreshOptions;
}

/**
 * Picks the reader from the stream's shape, not from the configured sync mode:
 * a cursor → {@link CursorBasedCheckpointReader} (reading state from the cursor when the stream has
 * no cursor field; plain slices become partitions); incremental → {@link IncrementalCheckpointReader}; resumable full refresh →
 * {@link ResumableFullRefreshCheckpointReader} (which does not call `streamSlices`); otherwise
 * {@link FullRefreshCheckpointReader}. Loads the incoming state into the cursor, if any.
 */
export function createCheckpointReader(stream: Stream, args: CreateCheckpointReaderArgs): CheckpointReader {
  const onNullSlice = (): void =>
    args.logger.debug(`stream ${stream.name}: streamSlices() yielded null, which ends the stream's slices`);
  const mode = stream.checkpointMode;
  const cursor = stream.getCursor();
  const slices = () =>
    stream.streamSlices({
      syncMode: args.syncMode,
      cursorField: args.cursorField,
      streamState: args.streamState,
      logger: args.logger,
    });
  if (cursor !== undefined) {
    cursor.setInitialState(args.streamState);
    // Substreams are discovered as not resumable (as upstream), but an incoming per-partition state is
    // still honoured: finished partitions are skipped, a partition in progress is read again in full.
    const readStateFromCursor =
      mode === 'resumable_full_refresh' || (stream.isSubstream && !stream.supportsIncremental);
    return new CursorBasedCheckpointReader(cursor, slices(), {
      readStateFromCursor,
      onNullSlice,
      wrapPlainSlices: true,
    });
  }
  if (mode === 'resumable_full_refresh') {
    return new ResumableFullRefreshCheckpointReader(args.streamState, args.resumableFullRefresh);
  }
  if (mode === 'incremental') return new IncrementalCheckpointReader(args.streamState, slices(), onNullSlice);
  return new FullRefreshCheckpointReader(slices(), onNullSlice);
}
