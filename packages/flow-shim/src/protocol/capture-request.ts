import type {
  CaptureBinding,
  CaptureSpec,
  CollectionSpec,
  ConnectorType,
  JsonValue,
  RangeSpec,
} from './flow-specs';

/** `spec` request. Every field may be absent on the wire (the image start-up probe sends `{}`). */
export interface SpecRequest {
  /** Defaults to `INVALID`. */
  connectorType: ConnectorType;
  /** Endpoint config; defaults to `{}`. */
  config: JsonValue;
}

/** `discover` request. */
export interface DiscoverRequest {
  /** Defaults to `INVALID`. */
  connectorType: ConnectorType;
  /** Endpoint config; defaults to `{}`. */
  config: JsonValue;
}

/** One binding of a `validate` request. */
export interface ValidateBinding {
  /** Defaults to `{}`. */
  resourceConfig: JsonValue;
  collection: CollectionSpec;
  /** Defaults to 0. */
  backfill: number;
}

/** `validate` request. */
export interface ValidateRequest {
  /** Capture name. Defaults to `''`. */
  name: string;
  /** Defaults to `INVALID`. */
  connectorType: ConnectorType;
  /** Endpoint config; defaults to `{}`. */
  config: JsonValue;
  /** Proposed bindings; `validated.bindings` must answer each, in order. Defaults to `[]`. */
  bindings: ValidateBinding[];
  /** The capture as last applied, when there was one. */
  lastCapture?: CaptureSpec;
  /** Version of `lastCapture`. Defaults to `''`. */
  lastVersion: string;
}

/** `apply` request. */
export interface ApplyRequest {
  capture: CaptureSpec;
  /** Defaults to `''`. */
  version: string;
  lastCapture?: CaptureSpec;
  /** Defaults to `''`. */
  lastVersion: string;
}

/** `open` request: starts a capture session. */
export interface OpenRequest {
  capture: CaptureSpec;
  /** Defaults to `''`. */
  version: string;
  range: RangeSpec;
  /** Connector state from earlier checkpoints; `{}` for a new task. */
  state: JsonValue;
}

/** `acknowledge` request: the runtime committed this many more checkpoints (>= 1). */
export interface AcknowledgeRequest {
  checkpoints: number;
}

/** A request read from stdin, tagged by `type`; the payload is under the wire key of the same name. */
export type CaptureRequest =
  | { type: 'spec'; spec: SpecRequest }
  | { type: 'discover'; discover: DiscoverRequest }
  | { type: 'validate'; validate: ValidateRequest }
  | { type: 'apply'; apply: ApplyRequest }
  | { type: 'open'; open: OpenRequest }
  | { type: 'acknowledge'; acknowledge: AcknowledgeRequest }
  | { type: 'internal' };

/** Re-exported so request consumers need one import. */
export type { CaptureBinding };
