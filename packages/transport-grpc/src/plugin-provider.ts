import type { RecordBatch, Schema, Table } from 'apache-arrow';
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

/** Messages to the user and translation requests (`provider.io`). */
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
   * most `maxOutputChunkBytes` (default 1,000,000). Resolves once every piece is handed to gRPC, which
   * waits for HTTP/2 flow control: a slow engine slows this call. Rejects with
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
