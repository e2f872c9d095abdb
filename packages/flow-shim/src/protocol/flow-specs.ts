// Embedded `flow.*` messages as they appear inside capture requests, in their wire (proto3 JSON)
// names. Only the fields a capture connector reads are typed; parsing keeps them camelCase whatever
// spelling the runtime used, and fills the proto3 defaults the runtime omits.

/** Any JSON value: configs, schemas, documents and states are embedded raw. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** How the runtime runs the connector. `INVALID` is the proto default (sent as an absent field). */
export type ConnectorType = 'INVALID' | 'IMAGE' | 'LOCAL';

/** A collection's specification (`flow.CollectionSpec`), reduced to what captures use. */
export interface CollectionSpec {
  /** Collection name, e.g. `acmeCo/users`. Defaults to `''`. */
  name: string;
  /** Schema documents must validate against. Defaults to `{}`. */
  writeSchema: JsonValue;
  /** Read schema; the write schema when the runtime sent none. */
  readSchema: JsonValue;
  /** Collection key as JSON pointers. Defaults to `[]`. */
  key: string[];
  /** Where the runtime places document UUIDs. Defaults to `/_meta/uuid`. */
  uuidPtr: string;
  /** Partitioned fields. Defaults to `[]`. */
  partitionFields: string[];
  /** Projections as sent (not interpreted by this package). Defaults to `[]`. */
  projections: JsonValue[];
}

/** One binding of a capture (`flow.CaptureSpec.Binding`). */
export interface CaptureBinding {
  /** The binding's resource config (raw JSON; may carry `_meta`). Defaults to `{}`. */
  resourceConfig: JsonValue;
  /** Resource path returned by `validate`. Defaults to `[]`. */
  resourcePath: string[];
  /** Target collection. */
  collection: CollectionSpec;
  /** Backfill counter; every increment asks for a new backfill. Defaults to 0. */
  backfill: number;
  /** Key of this binding's state inside `bindingStateV1`; computed from resourcePath when absent. */
  stateKey: string;
}

/** A capture's specification (`flow.CaptureSpec`). */
export interface CaptureSpec {
  /** Capture name. Defaults to `''`. */
  name: string;
  /** Connector type. Defaults to `INVALID`. */
  connectorType: ConnectorType;
  /** Endpoint config (raw JSON). Defaults to `{}`. */
  config: JsonValue;
  /** Bindings, in order: `captured.binding` indexes this array. Defaults to `[]`. */
  bindings: CaptureBinding[];
  /** Seconds between invocations of a connector that exits. Defaults to 0 (runtime default 300). */
  intervalSeconds: number;
}

/** Key and r-clock range of a shard (`flow.RangeSpec`); the runtime omits zero values. */
export interface RangeSpec {
  /** Defaults to 0. */
  keyBegin: number;
  /** Defaults to 0; a full-range shard sends 4294967295. */
  keyEnd: number;
  /** Defaults to 0. */
  rClockBegin: number;
  /** Defaults to 0; a full-range shard sends 4294967295. */
  rClockEnd: number;
}

/** OAuth2 description (`flow.OAuth2`) a connector may return from `spec`. All fields optional. */
export interface OAuth2Spec {
  provider?: string;
  authUrlTemplate?: string;
  accessTokenUrlTemplate?: string;
  accessTokenMethod?: string;
  accessTokenBody?: string;
  accessTokenHeaders?: { [header: string]: JsonValue };
  accessTokenResponseMap?: { [key: string]: JsonValue };
  refreshTokenUrlTemplate?: string;
  refreshTokenMethod?: string;
  refreshTokenBody?: string;
  refreshTokenHeaders?: { [header: string]: JsonValue };
  refreshTokenResponseMap?: { [key: string]: JsonValue };
}
