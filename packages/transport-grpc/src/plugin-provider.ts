import type { RecordBatch, Schema, Table } from 'apache-arrow';
import type {
  DcmFreeWriteLockParams,
  DcmGetWriteLockParams,
  DcmLockAndUpdateSecretParams,
  DcmLockAndUpdateSecretResult,
  DcmObject,
  DcmUpdateSecretParams,
  EngineRequestOptions,
} from './dcm-request.js';
import type { PluginEnvironment } from './plugin-environment.js';

/**
 * The oldest `Engine.Version` (Designer year.release) that receives `update_progress` and message
 * priorities: Designer 2024.1, the first release the AMP SDK line carrying them (2.4.x, 2.5) requires.
 * A version is compared as numbers, part by part (`"2024.1.0.0"` and `"2025.2"` qualify, `"2023.2.1"`
 * does not); one that does not start with two numbers (`""`, `"dev"`) counts as older, so that an engine
 * is never sent a message it may not know.
 */
export const progressEngineVersion = '2024.1';

/**
 * `OutputMessagePriorityFlags` values. Only `OMPF_None` (0) is known from the AMP SDK; other values the
 * engine defines can be passed as numbers.
 */
export const OutputMessagePriority = {
  /** `OMPF_None`: an ordinary message. */
  none: 0,
} as const;

/** Options of `io.info`, `io.warn` and `io.error`. */
export interface OutputMessageOptions {
  /**
   * `OutputMessageData.priority` (an `OutputMessagePriorityFlags` value, see
   * {@link OutputMessagePriority}): an integer from 0 to 2,147,483,647. Defaults to 0 (`OMPF_None`).
   * Sent only to engines that understand it (see {@link progressEngineVersion}); older engines get the
   * message without it. Anything else throws `TRANSPORT_CONFIG`.
   */
  readonly priority?: number;
}

/** An incoming connection as declared by the engine. */
export interface IncomingConnectionInfo {
  /** Connection name, e.g. `"#1"`. */
  readonly name: string;
}

/** An incoming anchor and its declared connections. */
export interface IncomingAnchorInfo {
  /** Anchor name, e.g. `"Input"`. */
  readonly name: string;
  /** Declared connections by name. */
  readonly connections: Readonly<Record<string, IncomingConnectionInfo>>;
}

/** An outgoing anchor as declared by the engine. */
export interface OutgoingAnchorInfo {
  /** Anchor name, e.g. `"Output"`. */
  readonly name: string;
  /** Downstream connections; the engine fans out, the plugin writes once. */
  readonly numConnections: number;
}

/**
 * Messages to the user, and requests answered by the engine (`provider.io`): translation, password
 * decryption and the Data Connection Manager (DCM). Every request is a Promise matched to its answer by
 * a UUIDv4 `msg_id`. Requests reject with `TRANSPORT_TIMEOUT` when the engine does not answer in time,
 * `TRANSPORT_CANCELLED` when their `signal` aborts or the run ends first, and `TRANSPORT_CONFIG` for
 * arguments that cannot be sent. DCM calls resolve with the engine's `response` Struct as a plain object,
 * and reject with `TRANSPORT_DCM_FAILED` (the response in `dcmResponse`) when the engine answers
 * `success: false`.
 */
export interface PluginIo {
  /**
   * Sends an info message (`OMT_Info`). Fire-and-forget. `options.priority` as in
   * {@link OutputMessageOptions} (the AMP SDK's `info_with_priority`).
   */
  info(message: string, options?: OutputMessageOptions): void;
  /** Sends a warning (`OMT_Warning`). Fire-and-forget. `options` as for {@link PluginIo.info}. */
  warn(message: string, options?: OutputMessageOptions): void;
  /**
   * Sends an error message (`OMT_Error`); the run goes on. Throw from a callback to end it instead.
   * `options` as for {@link PluginIo.info}.
   */
  error(message: string, options?: OutputMessageOptions): void;
  /**
   * Reports how far the tool has got, as a fraction from 0 to 1 (`ControlOut.update_progress`, AMP SDK
   * 2.4.2). Fire-and-forget. Sent only to engines that understand it, decided from the `Engine.Version`
   * constant (see {@link progressEngineVersion}); for an older engine it is a no-op that writes one
   * debug line (`NODE_DEBUG=sdk-transport`). Throws `TRANSPORT_CONFIG` for anything but a finite number
   * from 0 to 1.
   */
  updateProgress(fraction: number): void;
  /**
   * Asks the engine to translate `unlocalized`, with `interpolation` values sent as strings. Resolves
   * with the translation; rejects with `TRANSPORT_TIMEOUT` after the server's `translateTimeoutMs`
   * (default 30,000 ms) or `TRANSPORT_CANCELLED` when the run ends first.
   */
  translateMsg(unlocalized: string, ...interpolation: unknown[]): Promise<string>;
  /**
   * Callback form of {@link PluginIo.translateMsg}: returns at once; `callback` runs before the plugin
   * confirms completion. A callback that throws ends the run with `TRANSPORT_PLUGIN_FAILED`.
   */
  translateMsgUseCallback(
    callback: (translated: string) => void | Promise<void>,
    unlocalized: string,
    ...interpolation: unknown[]
  ): void;
  /**
   * Asks the engine to decrypt a password from the tool configuration (`decrypt_password`). Resolves with
   * the decrypted text. Waits up to the server's `requestTimeoutMs` (default 30,000 ms) unless `options`
   * says otherwise.
   */
  decryptPassword(encrypted: string, options?: EngineRequestOptions): Promise<string>;
  /** Reads a DCM connection (`get_connection`); resolves with the engine's response object. */
  getConnection(connectionId: string, options?: EngineRequestOptions): Promise<DcmObject>;
  /** Takes a write lock on a connection's secret (`lock_secret`); the response carries `secretLockId`. */
  getWriteLock(params: DcmGetWriteLockParams, options?: EngineRequestOptions): Promise<DcmObject>;
  /** Frees a write lock (`unlock_secret`). */
  freeWriteLock(params: DcmFreeWriteLockParams, options?: EngineRequestOptions): Promise<DcmObject>;
  /** Updates a connection's secret under a lock (`update_secret`). */
  updateConnectionSecret(params: DcmUpdateSecretParams, options?: EngineRequestOptions): Promise<DcmObject>;
  /**
   * Takes a write lock, updates the secret, then frees the lock, even when the update fails (the update's
   * error is then the one reported). A lock response without a string `secretLockId` rejects with
   * `TRANSPORT_PROTOCOL`. `options` apply to each of the three requests.
   */
  getLockAndUpdateSecret(
    params: DcmLockAndUpdateSecretParams,
    options?: EngineRequestOptions,
  ): Promise<DcmLockAndUpdateSecretResult>;
}

/** What the plugin gets in its constructor (`AMPProviderV2`). */
export interface PluginProvider {
  /** The tool configuration XML as sent by the engine (root element `<Configuration>`). */
  readonly toolConfigXml: string;
  /** Run information from the engine constants. */
  readonly environment: PluginEnvironment;
  /** Incoming anchors by name. */
  readonly incomingAnchors: Readonly<Record<string, IncomingAnchorInfo>>;
  /** Outgoing anchors by name. */
  readonly outgoingAnchors: Readonly<Record<string, OutgoingAnchorInfo>>;
  /** Messages and translations. */
  readonly io: PluginIo;
  /** Aborted when the engine cancels the run or the connection drops. */
  readonly signal: AbortSignal;
  /**
   * Sends `data` to an outgoing anchor as one self-contained Arrow IPC stream, cut into pieces of at
   * most `maxOutputChunkBytes` (default 1,000,000). Resolves once every piece is written to the
   * connection, which waits for HTTP/2 flow control: a slow engine slows this call. `data` may be reused
   * from then on, and must not change before. Rejects with
   * `TRANSPORT_UNKNOWN_ANCHOR` for an undeclared anchor and `TRANSPORT_CLOSED` after the anchor closed.
   */
  writeToAnchor(anchorName: string, data: Table | RecordBatch): Promise<void>;
  /** Declares the schema of an outgoing anchor (call it in the constructor for update-only mode). */
  pushOutgoingMetadata(anchorName: string, schema: Schema): void;
  /** Closes an outgoing anchor early; idempotent. Every anchor is closed at completion anyway. */
  closeOutgoingAnchor(anchorName: string): Promise<void>;
  /** Sends new tool configuration XML to the engine (`OMT_UpdateOutputConfigXml`). */
  saveToolConfig(configXml: string): void;
}
