// Wire types of the Airbyte protocol (v0, release 0.18.0). Field names are exactly the JSON field
// names, so a message object is its own serialisation. Every protocol object allows additional
// properties; the types list the ones this CDK reads or writes.

/** Any JSON object: records, slices, state blobs, configs. */
export type JsonObject = { [key: string]: unknown };

/** Sync mode of a configured stream. */
export type SyncMode = 'full_refresh' | 'incremental';

/** Destination sync mode of a configured stream. */
export type DestinationSyncMode = 'append' | 'overwrite' | 'append_dedup' | 'update' | 'soft_delete';

/** Identifies a stream: `name` plus optional `namespace`. */
export interface StreamDescriptor {
  name: string;
  namespace?: string;
}

/** A RECORD payload. `emitted_at` is milliseconds since the epoch (integer). */
export interface AirbyteRecord {
  stream: string;
  namespace?: string;
  data: JsonObject;
  emitted_at: number;
  meta?: { changes?: Array<{ field: string; change: 'NULLED' | 'TRUNCATED'; reason: string }> };
}

/** `recordCount` is a float on the wire; Python writes `2.0`, JSON.stringify writes `2`. */
export interface AirbyteStateStats {
  recordCount?: number;
}

/** The state of one stream inside a STREAM or GLOBAL state message. */
export interface AirbyteStreamState {
  stream_descriptor: StreamDescriptor;
  /** Null (or absent) means "no state"; the protocol reads null as "reset this stream". */
  stream_state?: JsonObject | null;
}

/** Shared state plus per-stream states. */
export interface AirbyteGlobalState {
  shared_state?: JsonObject | null;
  stream_states: AirbyteStreamState[];
}

/** Which representation a state message uses; absent means LEGACY. */
export type AirbyteStateType = 'GLOBAL' | 'STREAM' | 'LEGACY';

/** A STATE payload. This CDK always emits `type: 'STREAM'`; it reads all three. */
export interface AirbyteStateMessagePayload {
  type?: AirbyteStateType;
  stream?: AirbyteStreamState;
  global?: AirbyteGlobalState;
  /** Deprecated LEGACY blob: one object for the whole connector. */
  data?: JsonObject;
  sourceStats?: AirbyteStateStats;
  destinationStats?: AirbyteStateStats;
}

/** LOG levels. */
export type AirbyteLogLevel = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';

/** A LOG payload. */
export interface AirbyteLog {
  level: AirbyteLogLevel;
  message: string;
  stack_trace?: string;
}

/** Failure classification of an ERROR trace. */
export type AirbyteFailureType = 'system_error' | 'config_error' | 'transient_error';

/** An ERROR trace payload. */
export interface AirbyteErrorTrace {
  message: string;
  internal_message?: string;
  stack_trace?: string;
  failure_type?: AirbyteFailureType;
  stream_descriptor?: StreamDescriptor;
}

/** Stream status values of a STREAM_STATUS trace. */
export type AirbyteStreamStatus = 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';

/** A STREAM_STATUS trace payload. */
export interface AirbyteStreamStatusTrace {
  stream_descriptor: StreamDescriptor;
  status: AirbyteStreamStatus;
  reasons?: Array<{ type: 'RATE_LIMITED'; rate_limited?: { quota_reset?: number } }>;
}

/** An ESTIMATE trace payload. */
export interface AirbyteEstimateTrace {
  name: string;
  type: 'STREAM' | 'SYNC';
  namespace?: string;
  row_estimate?: number;
  byte_estimate?: number;
}

/** A TRACE payload; `emitted_at` is milliseconds since the epoch. */
export type AirbyteTrace =
  | { type: 'ERROR'; emitted_at: number; error: AirbyteErrorTrace }
  | { type: 'STREAM_STATUS'; emitted_at: number; stream_status: AirbyteStreamStatusTrace }
  | { type: 'ESTIMATE'; emitted_at: number; estimate: AirbyteEstimateTrace }
  | { type: 'ANALYTICS'; emitted_at: number; analytics: { type: string; value?: string | number } };

/** A CONTROL payload: asks the platform to persist an updated connector config. */
export interface AirbyteControl {
  type: 'CONNECTOR_CONFIG';
  emitted_at: number;
  connectorConfig: { config: JsonObject };
}

/** A CONNECTION_STATUS payload. */
export interface AirbyteConnectionStatus {
  status: 'SUCCEEDED' | 'FAILED';
  message?: string;
}

/** The connector specification returned by `spec`. */
export interface ConnectorSpecification {
  /** JSON schema the config must match; properties marked `airbyte_secret: true` are masked. */
  connectionSpecification: JsonObject;
  documentationUrl?: string;
  changelogUrl?: string;
  supportsIncremental?: boolean;
  supported_destination_sync_modes?: DestinationSyncMode[];
  protocol_version?: string;
  [key: string]: unknown;
}

/** One stream of a discovered catalog. */
export interface AirbyteStream {
  name: string;
  json_schema: JsonObject;
  supported_sync_modes: SyncMode[];
  source_defined_cursor?: boolean;
  default_cursor_field?: string[];
  source_defined_primary_key?: string[][];
  namespace?: string;
  is_resumable?: boolean;
}

/** The discovered catalog. */
export interface AirbyteCatalog {
  streams: AirbyteStream[];
}

/** One stream of the configured catalog passed to `read`. */
export interface ConfiguredAirbyteStream {
  stream: AirbyteStream;
  sync_mode: SyncMode;
  destination_sync_mode: DestinationSyncMode;
  cursor_field?: string[];
  primary_key?: string[][];
  generation_id?: number;
  minimum_generation_id?: number;
  sync_id?: number;
}

/** The configured catalog passed to `read`. */
export interface ConfiguredAirbyteCatalog {
  streams: ConfiguredAirbyteStream[];
}

/** A RECORD message. */
export interface AirbyteRecordMessage {
  type: 'RECORD';
  record: AirbyteRecord;
}
/** A STATE message. */
export interface AirbyteStateMessage {
  type: 'STATE';
  state: AirbyteStateMessagePayload;
}
/** A LOG message. */
export interface AirbyteLogMessage {
  type: 'LOG';
  log: AirbyteLog;
}
/** A TRACE message. */
export interface AirbyteTraceMessage {
  type: 'TRACE';
  trace: AirbyteTrace;
}
/** A SPEC message. */
export interface AirbyteSpecMessage {
  type: 'SPEC';
  spec: ConnectorSpecification;
}
/** A CONNECTION_STATUS message. */
export interface AirbyteConnectionStatusMessage {
  type: 'CONNECTION_STATUS';
  connectionStatus: AirbyteConnectionStatus;
}
/** A CATALOG message. */
export interface AirbyteCatalogMessage {
  type: 'CATALOG';
  catalog: AirbyteCatalog;
}
/** A CONTROL message. */
export interface AirbyteControlMessage {
  type: 'CONTROL';
  control: AirbyteControl;
}

/** Every message a source emits, discriminated by `type`. */
export type AirbyteMessage =
  | AirbyteRecordMessage
  | AirbyteStateMessage
  | AirbyteLogMessage
  | AirbyteTraceMessage
  | AirbyteSpecMessage
  | AirbyteConnectionStatusMessage
  | AirbyteCatalogMessage
  | AirbyteControlMessage;

/** The `type` tag of {@link AirbyteMessage}. */
export type AirbyteMessageType = AirbyteMessage['type'];
