import type { SliceSource } from '../checkpoint/checkpoint-reader';
import type { Cursor } from '../checkpoint/cursor';
import { isStreamSlice } from '../checkpoint/stream-slice';
import { SubstreamResumableFullRefreshCursor } from '../checkpoint/substream-resumable-full-refresh-cursor';
import { defaultPartitionFor, parentSlices } from '../internal/parent-slices';
import type { JsonObject } from '../protocol/airbyte-protocol';
import { type ReadRecordsArgs, type RecordSource, Stream, type StreamSlicesArgs } from './stream';

/** What {@link SubStream.readPartition} receives: the usual arguments plus the partition. */
export interface ReadPartitionArgs extends ReadRecordsArgs {
  /** The partition built from one parent record by `partitionFor`. */
  partition: JsonObject;
}

/**
 * A stream read once per record of a `parent` stream, with per-partition state
 * `{"states": [{partition, cursor}]}`: each finished partition is checkpointed, and a resumed read
 * skips partitions already finished. The parent is read in full, without state. Implement
 * `readPartition` (all records of one partition, all pages); override `partitionFor` to choose what
 * identifies a partition.
 */
export abstract class SubStream extends Stream {
  /** The stream whose records slice this one. */
  abstract readonly parent: Stream;

  /** Reads every record of one partition. */
  abstract readPartition(args: ReadPartitionArgs): RecordSource;

  private partitionCursor: SubstreamResumableFullRefreshCursor | undefined;

  override get isSubstream(): boolean {
    return true;
  }

  /** The partition of a parent record. Default: the parent's primary key as `{parent: {id: ...}}`. */
  partitionFor(parentRecord: JsonObject): JsonObject {
    return defaultPartitionFor(this.parent, parentRecord);
  }

  /** A per-partition cursor unless the stream has a cursor field (then it is incremental per slice). */
  override getCursor(): Cursor | undefined {
    if (this.cursorField.length > 0) return undefined;
    this.partitionCursor ??= new SubstreamResumableFullRefreshCursor();
    return this.partitionCursor;
  }

  override streamSlices(args: StreamSlicesArgs): SliceSource {
    return parentSlices(this.parent, (record) => this.partitionFor(record), args.logger);
  }

  async *readRecords(args: ReadRecordsArgs): RecordSource {
    const partition = isStreamSlice(args.streamSlice) ? args.streamSlice.partition : args.streamSlice;
    yield* this.readPartition({ ...args, partition });
    this.partitionCursor?.closeSlice(args.streamSlice);
  }
}
