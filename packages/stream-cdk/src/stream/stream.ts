import type { CheckpointMode, SliceSource } from '../checkpoint/checkpoint-reader';
import type { Cursor } from '../checkpoint/cursor';
import type { AirbyteStream, JsonObject, SyncMode } from '../protocol/airbyte-protocol';
import { hasCheckpointState } from './checkpoint-mixin';
import type { SourceLogger } from './source-logger';
import type { StreamMessage } from './stream-message';

/** A primary key: one field, several fields, or several field paths. */
export type PrimaryKey = string | string[] | string[][];

/** What `readRecords` receives for one slice. */
export interface ReadRecordsArgs {
  /** The configured sync mode. Informational: the stream's shape decides how it checkpoints. */
  syncMode: SyncMode;
  /** The configured cursor field, else the stream's own; undefined when there is none. */
  cursorField: string[] | undefined;
  /** The slice to read: `{}` by default, the page token for resumable full refresh. */
  streamSlice: JsonObject;
  /** The state the stream started this read with (never updated during the read). */
  streamState: JsonObject;
  /** Logger whose lines become LOG messages. */
  logger: SourceLogger;
}

/** What `streamSlices` receives. */
export interface StreamSlicesArgs {
  syncMode: SyncMode;
  cursorField: string[] | undefined;
  streamState: JsonObject;
  logger: SourceLogger;
}

/** One item from `readRecords`: a record (plain object) or a wrapped LOG/TRACE message. */
export type ReadRecordsItem = JsonObject | StreamMessage;

/** Records as `readRecords` produces them. */
export type RecordSource = AsyncIterable<ReadRecordsItem> | Iterable<ReadRecordsItem>;

/**
 * One stream of a source. Subclass it and implement `name`, `getJsonSchema()` and `readRecords()`.
 *
 * How the stream checkpoints follows from its shape:
 * - a `cursorField` makes it incremental (state after every slice);
 * - a `state` accessor ({@link CheckpointMixin}) without a cursor makes it resumable full refresh
 *   (the state is the page token, passed back as the slice);
 * - `getCursor()` delegates state to a {@link Cursor} (substreams);
 * - otherwise it is a plain full refresh with one final STATE.
 */
export abstract class Stream {
  /** Stream name as it appears in the catalog. */
  abstract readonly name: string;

  /** JSON schema of the records. */
  abstract getJsonSchema(): JsonObject;

  /** Reads one slice; yields records (plain objects) and optionally `streamMessage(...)` items. */
  abstract readRecords(args: ReadRecordsArgs): RecordSource;

  /**
   * Legacy alternative to {@link CheckpointMixin}: folds one record into the state. The CDK keeps an
   * accumulating copy across records (so descending records cannot move the state back).
   */
  getUpdatedState?(currentState: JsonObject, latestRecord: JsonObject): JsonObject;

  /** Namespace; undefined (the default) or `''` means none. */
  get namespace(): string | undefined {
    return undefined;
  }

  /** Source-defined primary key. Default: none. */
  get primaryKey(): PrimaryKey | undefined {
    return undefined;
  }

  /** Source-defined cursor field path. Default: `[]` (no cursor). */
  get cursorField(): string[] {
    return [];
  }

  /** Emit a STATE every N records (counted across the whole stream). Default: undefined (per slice only). */
  get stateCheckpointInterval(): number | undefined {
    return undefined;
  }

  /**
   * How many slices of this stream may be read at the same time (an integer >= 1). Used by full
   * refresh streams (one STATE at the end) and by substreams without a cursor field whose every read
   * covers a whole partition (`SubStream`, `HttpStream` with a `parent`): their checkpoints do not
   * depend on the order slices finish in. Other streams read their slices one by one, since their state
   * follows the slice order. Default 1.
   */
  get maxConcurrentSlices(): number {
    return 1;
  }

  /** True for streams sliced by a parent stream's records. Default: false. */
  get isSubstream(): boolean {
    return false;
  }

  /** A cursor owning this stream's state, or undefined (the default). Return the same instance each call. */
  getCursor(): Cursor | undefined {
    return undefined;
  }

  /**
   * The slices to read. Default: one empty slice `[{}]`. A `null` item ends the iteration (logged at
   * debug level); a literal `[null]` is read as `[{}]`.
   */
  streamSlices(_args: StreamSlicesArgs): SliceSource {
    return [{}];
  }

  /** True when the stream has a cursor field. */
  get supportsIncremental(): boolean {
    return this.cursorField.length > 0;
  }

  /**
   * Whether an interrupted read can resume from state, as the Python CDK decides it (PR #37429 and
   * its successors): true with a cursor field; false for substreams without one (the platform then
   * re-reads them in full after a failed attempt, even though they checkpoint finished partitions);
   * true with a cursor or a `state` accessor; else true iff `getUpdatedState` exists.
   */
  get isResumable(): boolean {
    if (this.supportsIncremental) return true;
    if (this.isSubstream) return false;
    if (this.getCursor() !== undefined) return true;
    if (hasCheckpointState(this)) return true;
    return typeof this.getUpdatedState === 'function';
  }

  /** Alias of {@link Stream.isResumable} (the design's name). */
  get supportsCheckpointing(): boolean {
    return this.isResumable;
  }

  /**
   * How this stream checkpoints, from its shape (never from the configured sync mode). Substreams
   * without a cursor field are `full_refresh` (not resumable), yet still checkpoint finished partitions.
   */
  get checkpointMode(): CheckpointMode {
    if (!this.isResumable) return 'full_refresh';
    return this.supportsIncremental ? 'incremental' : 'resumable_full_refresh';
  }

  /** The stream as it appears in a discovered catalog. */
  asAirbyteStream(): AirbyteStream {
    const stream: AirbyteStream = {
      name: this.name,
      json_schema: this.getJsonSchema(),
      supported_sync_modes: this.supportsIncremental ? ['full_refresh', 'incremental'] : ['full_refresh'],
      is_resumable: this.isResumable,
    };
    if (this.namespace) stream.namespace = this.namespace;
    if (this.supportsIncremental) {
      stream.source_defined_cursor = true;
      stream.default_cursor_field = [...this.cursorField];
    }
    const primaryKey = wrapPrimaryKey(this.primaryKey);
    if (primaryKey !== undefined) stream.source_defined_primary_key = primaryKey;
    return stream;
  }
}

/** `"id"` → `[["id"]]`, `["a","b"]` → `[["a"],["b"]]`, `[["a","b"],["c"]]` unchanged. */
export function wrapPrimaryKey(primaryKey: PrimaryKey | undefined): string[][] | undefined {
  if (primaryKey === undefined || primaryKey.length === 0) return undefined;
  if (typeof primaryKey === 'string') return [[primaryKey]];
  return primaryKey.map((component) => (typeof component === 'string' ? [component] : [...component]));
}
