import type { JsonValue, OAuth2Spec } from './flow-specs';

/** The only protocol version a Flow runtime accepts in `spec` responses. */
export const FLOW_CAPTURE_PROTOCOL_VERSION = 3032023;

/** `spec` response body. */
export interface SpecResponse {
  /** Always {@link FLOW_CAPTURE_PROTOCOL_VERSION}. */
  protocol: number;
  configSchema: JsonValue;
  resourceConfigSchema: JsonValue;
  documentationUrl: string;
  oauth2?: OAuth2Spec;
  /** JSON pointers into a resource config that form its resource path. */
  resourcePathPointers: string[];
}

/** One discovered binding. */
export interface DiscoveredBinding {
  recommendedName: string;
  resourceConfig: JsonValue;
  documentSchema: JsonValue;
  /** Collection key as JSON pointers. */
  key: string[];
  /** True to suggest the binding starts disabled. Omitted when false. */
  disable?: boolean;
  /** Superseded by `resourcePathPointers`; omitted when empty. */
  resourcePath?: string[];
}

/** One validated binding; `validated.bindings` has one per requested binding, same order. */
export interface ValidatedBinding {
  resourcePath: string[];
}

/** `checkpoint.state`. */
export interface ConnectorStateUpdate {
  /** The new state, or an RFC 7396 merge patch onto the previous one when `mergePatch`. */
  updated: JsonValue;
  /** Omitted when false (full replacement). */
  mergePatch?: boolean;
}

/** A response written to stdout: exactly one of these keys. */
export type CaptureResponse =
  | { spec: SpecResponse }
  | { discovered: { bindings: DiscoveredBinding[] } }
  | { validated: { bindings: ValidatedBinding[] } }
  | { applied: { actionDescription?: string } }
  | { opened: { explicitAcknowledgements?: boolean } }
  | { captured: { binding?: number; doc: JsonValue } }
  | { sourcedSchema: { binding?: number; documentSchema: JsonValue } }
  | { checkpoint: { state: ConnectorStateUpdate } };
