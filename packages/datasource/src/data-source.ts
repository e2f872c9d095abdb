import { format } from 'node:util';
import { EventEmitter } from './event-emitter';

/** One record returned by `read`: a plain JSON-like object. */
export type DataRecord = Record<string, unknown>;

/** What `read` returns: a batch of records, or `null`/`undefined` once there is no more data. */
export type ReadResult = readonly DataRecord[] | null | undefined;

/** The parameters a data source is built from (Panoply's `source` dict). */
export type SourceParams = Record<string, unknown>;

/** Data of the `source-state` event. */
export interface SourceStateEvent {
  /** Unique per batch; every record of that batch carries it as `__state`. */
  readonly stateId: string;
  /** Merged shallowly into the run's state (later keys overwrite earlier ones). */
  readonly state: Readonly<Record<string, unknown>>;
}

/** Data of the `progress` event. `null` counts mean "unknown" (as sent by `backgroundProgress`). */
export interface ProgressEvent {
  readonly loaded: number | null;
  readonly total: number | null;
  readonly msg: string;
}

/** Events a data source fires. */
export interface DataSourceEvents {
  'source-state': SourceStateEvent;
  progress: ProgressEvent;
  /** Only the parameters that changed, e.g. `{ access_token: 'new' }`, so the runner can save them. */
  'source-change': Readonly<Record<string, unknown>>;
  /** Anything else a source wants to tell its runner. */
  [custom: string]: unknown;
}

/** Options given to a data source (Panoply's `options` dict). */
export interface DataSourceOptions {
  /**
   * Receives every `log()` call's arguments as ONE array, as in Panoply. Defaults to writing them,
   * space-separated, to stderr (Panoply prints to stdout; stderr keeps stdout free for data).
   */
  logger?: (messages: readonly unknown[]) => void;
  /** OAuth client fields (`client_id`, `client_secret`...) posted by `validateToken`. */
  refresh?: Readonly<Record<string, string>>;
  [option: string]: unknown;
}

/** What `raw()` returns. */
export interface RawRecord {
  readonly type: 'raw';
  readonly tag: string;
  /** The bytes, base64-encoded (a string here; Python returns base64 bytes). */
  readonly raw: string;
  readonly metadata: unknown;
}

/**
 * Base class of every data source (Panoply's `DataSource`). Subclasses implement `read(batchSize)`,
 * returning an array of records, or `null` once done (`batchSize` is only a hint), and may add an
 * optional `close()`. Sources that resume report state with `state(id, state)` BEFORE returning the
 * batch whose records all carry `__state: id`.
 */
export abstract class DataSource<
  Source extends SourceParams = SourceParams,
  Options extends DataSourceOptions = DataSourceOptions,
> extends EventEmitter<DataSourceEvents> {
  /** The parameters (`source` dict); `validateToken` updates tokens in it. */
  source: Source;
  /** Runner-provided options; each instance gets its own object when none is given. */
  options: Options;

  constructor(source: Source, options?: Options) {
    super();
    this.source = source;
    this.options = options ?? ({} as Options);
  }

  /** Returns the next batch, or `null`/`undefined` at the end. `batchSize` is only a hint. */
  abstract read(batchSize?: number): Promise<ReadResult> | ReadResult;

  /** Optional clean-up; the runner calls it, when defined, however the run ends. */
  close?(): Promise<void> | void;

  /** Logs through `options.logger` (called with the arguments as one array), else to stderr. */
  log(...messages: unknown[]): void {
    const logger = this.options.logger;
    if (typeof logger === 'function') logger(messages);
    else console.error(format(...messages));
  }

  /** Fires `progress` with `{ loaded, total, msg }`. `msg` defaults to `''`. */
  progress(loaded: number | null, total: number | null, msg = ''): void {
    this.fire('progress', { loaded, total, msg });
  }

  /** Fires `source-state` with `{ stateId, state }` (camelCase, as Panoply). */
  state(stateId: string, state: Readonly<Record<string, unknown>>): void {
    this.fire('source-state', { stateId, state });
  }

  /** Builds a raw record: `{ type: 'raw', tag, raw: base64(bytes), metadata }`. Strings count as UTF-8. */
  raw(tag: string, bytes: Uint8Array | string, metadata: unknown = {}): RawRecord {
    const buffer =
      typeof bytes === 'string'
        ? Buffer.from(bytes, 'utf8')
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { type: 'raw', tag, raw: buffer.toString('base64'), metadata };
  }
}
