import { canonicalJson } from '../checkpoint/canonical-json';
import type { CheckpointReader } from '../checkpoint/checkpoint-reader';
import { createCheckpointReader } from '../checkpoint/create-checkpoint-reader';
import { CursorBasedCheckpointReader } from '../checkpoint/cursor-based-checkpoint-reader';
import type { ResumableFullRefreshOptions } from '../checkpoint/resumable-full-refresh-checkpoint-reader';
import { PaginationLoopError } from '../errors/pagination-loop-error';
import { SliceError } from '../errors/slice-error';
import type { AirbyteMessage, JsonObject, StreamDescriptor, SyncMode } from '../protocol/airbyte-protocol';
import {
  logMessage,
  recordMessage,
  streamStateMessage,
  streamStatusTrace,
} from '../protocol/message-factories';
import type { ConnectorStateManager } from '../state/connector-state-manager';
import { hasCheckpointState } from '../stream/checkpoint-mixin';
import type { ReadRecordsItem, Stream } from '../stream/stream';
import { isStreamMessage } from '../stream/stream-message';
import { maskMessage } from './mask-message';
import type { QueuedLogger } from './queued-logger';
import type { SecretMasker } from './secret-masker';

/** How to checkpoint while reading; absent when reading records only (parents of substreams). */
export interface CheckpointSink {
  stateManager: ConnectorStateManager;
  /** Reproduce upstream's consecutive identical STATE messages. */
  emitConsecutiveDuplicateStates: boolean;
}

export interface ReadStreamOptions {
  syncMode: SyncMode;
  cursorField: string[] | undefined;
  streamState: JsonObject;
  logger: QueuedLogger;
  masker: SecretMasker;
  debug: boolean;
  checkpoint: CheckpointSink | undefined;
  /** Emit the RUNNING stream status just before the first record. */
  emitRunningStatus: boolean;
  resumableFullRefresh: ResumableFullRefreshOptions | undefined;
}

/** Decides which STATE messages go out for one stream and stamps `sourceStats.recordCount`. */
class StreamStateEmitter {
  recordsSinceState = 0;
  private lastStateJson: string | undefined;

  constructor(
    private readonly descriptor: StreamDescriptor,
    private readonly sink: CheckpointSink,
  ) {}

  /** The STATE message for `checkpoint`, or null when it would repeat the previous one with nothing in between. */
  emit(checkpoint: JsonObject, onlyIfChanged = false): AirbyteMessage | null {
    // Serialise now: the stream may keep mutating its state object after this point.
    const json = JSON.stringify(checkpoint);
    if (onlyIfChanged && json === this.lastStateJson) return null;
    if (
      json === this.lastStateJson &&
      this.recordsSinceState === 0 &&
      !this.sink.emitConsecutiveDuplicateStates
    ) {
      return null;
    }
    this.lastStateJson = json;
    this.sink.stateManager.updateStateForStream(
      this.descriptor.name,
      this.descriptor.namespace,
      JSON.parse(json),
    );
    const message = streamStateMessage(
      this.descriptor,
      JSON.parse(json) as JsonObject,
      this.recordsSinceState,
    );
    this.recordsSinceState = 0;
    return message;
  }
}

/** Messages are handed on in arrays of at most this many, so a fast stream costs one await per batch. */
const BATCH_SIZE = 512;

/**
 * Reads one stream: slices from its checkpoint reader, records, STATE messages at slice/page ends,
 * at the checkpoint interval and at the end. Yields the messages in order, grouped in batches (a batch
 * also ends at every slice end). On failure, first yields what was read, then the stream's current
 * state when it is a safe resume point not yet emitted (incremental streams with a checkpoint
 * interval, whose records are ordered by cursor), then rethrows.
 */
export async function* readStream(
  stream: Stream,
  options: ReadStreamOptions,
): AsyncGenerator<AirbyteMessage[]> {
  const { logger, masker, checkpoint: sink } = options;
  const descriptor: StreamDescriptor = stream.namespace
    ? { name: stream.name, namespace: stream.namespace }
    : { name: stream.name };
  const emitter = sink ? new StreamStateEmitter(descriptor, sink) : undefined;
  const reader: CheckpointReader = createCheckpointReader(stream, {
    syncMode: options.syncMode,
    cursorField: options.cursorField,
    streamState: options.streamState,
    logger,
    resumableFullRefresh: options.resumableFullRefresh,
  });
  const interval = stream.stateCheckpointInterval;
  const ownsState = hasCheckpointState(stream);
  const getUpdatedState = stream.getUpdatedState?.bind(stream);
  const tracksLegacyState = getUpdatedState !== undefined && options.cursorField !== undefined;
  let legacyState: JsonObject = structuredClone(options.streamState);
  // Every readRecords call sees the state the stream started with; page tokens come in the slice.
  const initialState = structuredClone(options.streamState);
  const namespace = stream.namespace || undefined;
  const recordOptions = namespace ? { namespace } : {};
  const name = stream.name;
  const intervalApplies =
    emitter !== undefined && interval !== undefined && reader.mode !== 'resumable_full_refresh';
  let recordCounter = 0;
  let running = !options.emitRunningStatus;
  let batch: AirbyteMessage[] = [];

  const observeCurrentState = (): void => {
    if (tracksLegacyState) reader.observe(legacyState);
    else if (ownsState) reader.observe(stream.state);
  };
  const checkpointNow = (onlyIfChanged = false): void => {
    if (emitter === undefined) return;
    const checkpoint = reader.getCheckpoint();
    const message = checkpoint === null ? null : emitter.emit(checkpoint, onlyIfChanged);
    if (message !== null) batch.push(message);
  };
  const drainLogs = (): void => {
    for (const message of logger.drain()) batch.push(message);
  };
  const handleItem = (item: ReadRecordsItem): void => {
    if (logger.pending.length > 0) drainLogs();
    if (isStreamMessage(item)) {
      batch.push(maskMessage(item.message, masker));
      return;
    }
    if (!running) {
      running = true;
      batch.push(streamStatusTrace(descriptor, 'RUNNING'));
    }
    batch.push(recordMessage(name, item, recordOptions));
    if (tracksLegacyState) legacyState = getUpdatedState!(legacyState, item);
    recordCounter++;
    if (emitter === undefined) return;
    emitter.recordsSinceState++;
    // Mid-page state of a resumable full refresh is the page being read: only page ends count there.
    if (intervalApplies && recordCounter % (interval as number) === 0) {
      observeCurrentState();
      checkpointNow();
    }
  };

  /**
   * Slices read at the same time (see `Stream.maxConcurrentSlices`): records of one slice keep their
   * order, slices interleave, and each finished slice is checkpointed as it finishes. Items are taken
   * one at a time from each slice: a slice's read is resumed only after its previous record was
   * handled, so when a partition marks itself complete (at the end of its read) all its records are
   * already ahead of any STATE that says so.
   */
  async function* readSlicesConcurrently(
    limit: number,
    nextSlice: () => Promise<JsonObject | null>,
  ): AsyncGenerator<AirbyteMessage[]> {
    interface Worker {
      iterator: AsyncIterator<ReadRecordsItem> | Iterator<ReadRecordsItem>;
      pending: Promise<{ id: number; result: IteratorResult<ReadRecordsItem> }>;
    }
    const workers = new Map<number, Worker>();
    let nextId = 0;
    let exhausted = false;
    const advance = (id: number, iterator: Worker['iterator']) =>
      Promise.resolve(iterator.next()).then((result) => ({ id, result }));
    const fill = async (): Promise<void> => {
      while (!exhausted && workers.size < limit) {
        const slice = await nextSlice();
        if (slice === null) {
          exhausted = true;
          return;
        }
        if (options.debug) logger.pushMessage(logMessage('DEBUG', `slice:${JSON.stringify(slice)}`));
        const records = stream.readRecords({
          syncMode: options.syncMode,
          cursorField: options.cursorField,
          streamSlice: slice,
          streamState: initialState,
          logger,
        });
        const iterator =
          Symbol.asyncIterator in records ? records[Symbol.asyncIterator]() : records[Symbol.iterator]();
        const id = nextId++;
        workers.set(id, { iterator, pending: advance(id, iterator) });
      }
    };
    try {
      await fill();
      while (workers.size > 0) {
        const { id, result } = await Promise.race([...workers.values()].map((worker) => worker.pending));
        const worker = workers.get(id) as Worker;
        if (result.done === true) {
          workers.delete(id);
          drainLogs();
          observeCurrentState();
          checkpointNow();
          if (batch.length > 0) {
            yield batch;
            batch = [];
          }
          await fill();
          continue;
        }
        handleItem(result.value);
        if (batch.length >= BATCH_SIZE) {
          yield batch;
          batch = [];
        }
        worker.pending = advance(id, worker.iterator);
      }
    } finally {
      // On failure, let the other slices' reads settle and close them before the failure is reported.
      for (const worker of workers.values()) {
        await worker.pending.catch(() => undefined);
        await Promise.resolve(worker.iterator.return?.()).catch(() => undefined);
      }
    }
  }

  try {
    const sliceConcurrency = stream.maxConcurrentSlices;
    if (!Number.isInteger(sliceConcurrency) || sliceConcurrency < 1) {
      throw new SliceError(
        `stream ${stream.name}: maxConcurrentSlices must be an integer >= 1, got ${String(sliceConcurrency)}`,
      );
    }
    const partitionsAtOnce =
      reader instanceof CursorBasedCheckpointReader && stream.isSubstream && !stream.supportsIncremental;
    if (sliceConcurrency > 1 && (reader.mode === 'full_refresh' || partitionsAtOnce)) {
      const nextSlice = partitionsAtOnce
        ? () => (reader as CursorBasedCheckpointReader).nextUnstartedPartition()
        : () => reader.next();
      yield* readSlicesConcurrently(sliceConcurrency, nextSlice);
      drainLogs();
      checkpointNow();
      if (batch.length > 0) yield batch;
      return;
    }
    if (sliceConcurrency > 1) {
      logger.debug(
        `stream ${stream.name}: slices are read one by one (${reader.mode} state follows the slice order)`,
      );
    }
    let slice = await reader.next();
    // A resumable full refresh stream whose state after a page is the page it just read would read
    // that page forever: the same next request twice in a row. Streams opt out with a
    // `paginationLoopGuard` getter returning false (HttpStream has one).
    const guardPages =
      reader.mode === 'resumable_full_refresh' &&
      (stream as { paginationLoopGuard?: unknown }).paginationLoopGuard !== false;
    let previousPage: string | undefined;
    while (slice !== null) {
      if (guardPages) {
        const page = canonicalJson(slice);
        if (page === previousPage) {
          throw new PaginationLoopError(
            stream.name,
            `stream ${stream.name} asked for the page it just read again (state ${page} after reading the slice ${page}), so paging would never end: set the state to the next page's token, or to {} after the last page`,
          );
        }
        previousPage = page;
      }
      if (options.debug) logger.pushMessage(logMessage('DEBUG', `slice:${JSON.stringify(slice)}`));
      const records = stream.readRecords({
        syncMode: options.syncMode,
        cursorField: options.cursorField,
        streamSlice: slice,
        streamState: initialState,
        logger,
      });
      if (Symbol.asyncIterator in records) {
        for await (const item of records) {
          handleItem(item);
          if (batch.length >= BATCH_SIZE) {
            yield batch;
            batch = [];
          }
        }
      } else {
        // Sync iterables skip the per-item promise of `for await`.
        for (const item of records) {
          handleItem(item);
          if (batch.length >= BATCH_SIZE) {
            yield batch;
            batch = [];
          }
        }
      }
      drainLogs();
      observeCurrentState();
      checkpointNow();
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      slice = await reader.next();
    }
    drainLogs();
    checkpointNow();
  } catch (error) {
    drainLogs();
    if (
      emitter !== undefined &&
      emitter.recordsSinceState > 0 &&
      reader.mode === 'incremental' &&
      interval !== undefined
    ) {
      observeCurrentState();
      // Only a state that moved forward is worth emitting here; repeating the last one resumes nothing new.
      checkpointNow(true);
    }
    if (batch.length > 0) yield batch;
    throw error;
  }
  if (batch.length > 0) yield batch;
}
