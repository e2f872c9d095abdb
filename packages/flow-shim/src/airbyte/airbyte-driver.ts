import type { JsonObject, JsonValue } from '../protocol/flow-specs';

// The Airbyte protocol as the shim needs it, in wire (JSON) form. Objects may carry more fields;
// only these are read. Both drivers (a child process, an in-process `Source`) produce these shapes.

/** `spec` output of an Airbyte connector. */
export interface AirbyteSpecification {
  connectionSpecification: JsonValue;
  documentationUrl?: string;
}

/** One stream of a discovered catalog. */
export interface AirbyteStreamDefinition {
  name: string;
  namespace?: string | null;
  json_schema: JsonValue;
  supported_sync_modes?: string[];
  default_cursor_field?: string[];
  /** Each key component as a path of field names; a flat `['id']` (a common mistake) is read as `[['id']]`. */
  source_defined_primary_key?: string[][] | string[];
  is_resumable?: boolean;
}

/** A STATE payload (`type` absent means LEGACY). */
export interface AirbyteStatePayload {
  type?: 'STREAM' | 'GLOBAL' | 'LEGACY';
  stream?: { stream_descriptor: { name: string; namespace?: string | null }; stream_state?: JsonValue };
  global?: {
    shared_state?: JsonValue;
    stream_states?: Array<{
      stream_descriptor: { name: string; namespace?: string | null };
      stream_state?: JsonValue;
    }>;
  };
  data?: JsonValue;
}

/** A message read from a connector; `type` tells which payload field is set. */
export interface AirbyteMessageEnvelope {
  type: string;
  record?: { stream: string; namespace?: string | null; data: JsonObject };
  state?: AirbyteStatePayload;
  log?: { level?: string; message?: string; stack_trace?: string };
  trace?: {
    type?: string;
    error?: {
      message?: string;
      internal_message?: string;
      stack_trace?: string;
      stream_descriptor?: { name: string };
    };
    estimate?: JsonObject;
    stream_status?: { stream_descriptor?: { name: string; namespace?: string | null }; status?: string };
  };
  [field: string]: unknown;
}

/** The configured catalog handed to `read`. */
export interface ConfiguredCatalog {
  streams: Array<{
    stream: {
      name: string;
      namespace?: string;
      json_schema: JsonValue;
      supported_sync_modes: string[];
      source_defined_primary_key?: string[][];
    };
    sync_mode: 'incremental' | 'full_refresh';
    destination_sync_mode: 'append';
    cursor_field?: string[];
    primary_key?: string[][];
  }>;
}

/**
 * How the Airbyte shim talks to an Airbyte source: spec, check, discover and read. Implemented for
 * child processes ({@link ExternalAirbyteDriver}) and for in-process `@sdk/stream-cdk` sources.
 */
export interface AirbyteDriver {
  /** Names the connector in logs and errors. */
  readonly name: string;
  spec(): Promise<AirbyteSpecification>;
  /** Resolves with the connection status; rejects only when the connector itself failed. */
  check(config: JsonValue): Promise<{ succeeded: boolean; message?: string }>;
  discover(config: JsonValue): Promise<AirbyteStreamDefinition[]>;
  /**
   * Reads: yields messages in order, in batches. Rejects (typed, naming the connector and stream)
   * when the connector fails; the shim never checkpoints past a failure.
   */
  read(
    config: JsonValue,
    catalog: ConfiguredCatalog,
    state: AirbyteStatePayload[],
    signal: AbortSignal,
  ): AsyncIterable<AirbyteMessageEnvelope[]>;
}
