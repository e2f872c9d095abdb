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
  /** Sends an info message (`OMT_Info`). Fire-and-forget. */
  info(message: string): void;
  /** Sends a warning (`OMT_Warning`). Fire-and-forget. */
  warn(message: string): void;
  /** Sends an error message (`OMT_Error`); the run goes on. Throw from a callback to end it instead. */
  error(message: string): void;
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
