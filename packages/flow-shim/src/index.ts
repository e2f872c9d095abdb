export type { AirbyteCaptureShimOptions } from './airbyte/airbyte-capture-shim';
export { AirbyteCaptureShim } from './airbyte/airbyte-capture-shim';
export type {
  AirbyteDriver,
  AirbyteMessageEnvelope,
  AirbyteSpecification,
  AirbyteStatePayload,
  AirbyteStreamDefinition,
  ConfiguredCatalog,
} from './airbyte/airbyte-driver';
export type { ExternalAirbyteDriverOptions } from './airbyte/external-airbyte-driver';
export { DEFAULT_MAX_CONNECTOR_LINE_BYTES, ExternalAirbyteDriver } from './airbyte/external-airbyte-driver';
export type { StreamCdkAirbyteDriverOptions } from './airbyte/stream-cdk-airbyte-driver';
export { StreamCdkAirbyteDriver } from './airbyte/stream-cdk-airbyte-driver';
export type {
  CapturePlan,
  CaptureTaskPlan,
  ConnectorContext,
  ConnectorSpec,
} from './connector/capture-connector';
export { CaptureConnector } from './connector/capture-connector';
export type { CaptureTaskHost, CheckpointOptions } from './connector/capture-task';
export { CaptureTask } from './connector/capture-task';
export type { CaptureProgress, RunCaptureConnectorOptions } from './connector/run-capture-connector';
export {
  DEFAULT_MAX_BUFFERED_BYTES_PER_TASK,
  DEFAULT_MAX_REQUEST_LINE_BYTES,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  main,
  runCaptureConnector,
} from './connector/run-capture-connector';
export { FlowCliUsageError } from './errors/flow-cli-usage-error';
export { FlowConfigError } from './errors/flow-config-error';
export type { FlowConnectorErrorCode } from './errors/flow-connector-error';
export { FlowConnectorError } from './errors/flow-connector-error';
export type { FlowKeyProblem } from './errors/flow-key-error';
export { FlowKeyError } from './errors/flow-key-error';
export type { FlowRequestErrorCode } from './errors/flow-request-error';
export { FlowRequestError } from './errors/flow-request-error';
export { FlowResponseError } from './errors/flow-response-error';
export { FlowRuntimeError } from './errors/flow-runtime-error';
export type { FlowSessionErrorCode } from './errors/flow-session-error';
export { FlowSessionError } from './errors/flow-session-error';
export type { FlowShimErrorCode, FlowShimErrorOptions } from './errors/flow-shim-error';
export { FlowShimError } from './errors/flow-shim-error';
export { FlowStateError } from './errors/flow-state-error';
export { FlowValidationError } from './errors/flow-validation-error';
export type { ConnectorLoggerOptions, LogLevel } from './io/connector-logger';
export { ConnectorLogger, parseLogLevel } from './io/connector-logger';
export type { WritableLike } from './io/response-writer';
export { ResponseWriter } from './io/response-writer';
export type {
  AcknowledgeRequest,
  ApplyRequest,
  CaptureRequest,
  DiscoverRequest,
  OpenRequest,
  SpecRequest,
  ValidateBinding,
  ValidateRequest,
} from './protocol/capture-request';
export type {
  CaptureResponse,
  ConnectorStateUpdate,
  DiscoveredBinding,
  SpecResponse,
  ValidatedBinding,
} from './protocol/capture-response';
export { FLOW_CAPTURE_PROTOCOL_VERSION } from './protocol/capture-response';
export type { InvalidKeyPolicy } from './protocol/collection-key';
export {
  assertCollectionKey,
  requireCollectionKey,
  withRequiredCollectionKey,
} from './protocol/collection-key';
export { encodeStateKey } from './protocol/encode-state-key';
export type {
  CaptureBinding,
  CaptureSpec,
  CollectionSpec,
  ConnectorType,
  JsonObject,
  JsonValue,
  OAuth2Spec,
  RangeSpec,
} from './protocol/flow-specs';
export { jsonPointerFromPath } from './protocol/json-pointer';
export { applyMergePatch, createMergePatch } from './protocol/merge-patch';
export { parseCaptureRequest, parseCaptureRequestLine } from './protocol/parse-capture-request';
export type { CaptureResponseType } from './protocol/validate-capture-response';
export { validateCaptureResponse, validateCaptureResponseLine } from './protocol/validate-capture-response';
export type {
  CommittedCheckpoint,
  CommittedDocument,
  ConnectorLogLine,
  FakeFlowRuntimeOptions,
  RuntimeBinding,
  RuntimeSessionOptions,
  RuntimeSessionResult,
} from './runtime/fake-flow-runtime';
export { DEFAULT_RUNTIME_TIMEOUT_MS, FakeFlowRuntime } from './runtime/fake-flow-runtime';
export { DEFAULT_MAX_CATALOG_BYTES, SingerCaptureShim } from './singer/singer-capture-shim';
