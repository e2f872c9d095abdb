export { canonicalJson } from './checkpoint/canonical-json';
export type { CheckpointMode, CheckpointReader, SliceSource } from './checkpoint/checkpoint-reader';
export type { CreateCheckpointReaderArgs } from './checkpoint/create-checkpoint-reader';
export { createCheckpointReader } from './checkpoint/create-checkpoint-reader';
export type { Cursor } from './checkpoint/cursor';
export type { CursorBasedCheckpointReaderOptions } from './checkpoint/cursor-based-checkpoint-reader';
export { CursorBasedCheckpointReader } from './checkpoint/cursor-based-checkpoint-reader';
export { FullRefreshCheckpointReader } from './checkpoint/full-refresh-checkpoint-reader';
export { IncrementalCheckpointReader } from './checkpoint/incremental-checkpoint-reader';
export type {
  ResumableFullRefreshCompletion,
  ResumableFullRefreshOptions,
} from './checkpoint/resumable-full-refresh-checkpoint-reader';
export { ResumableFullRefreshCheckpointReader } from './checkpoint/resumable-full-refresh-checkpoint-reader';
export { ResumableFullRefreshCursor } from './checkpoint/resumable-full-refresh-cursor';
export {
  fullRefreshCompleteState,
  isFullRefreshCompleteState,
  isNoCursorState,
  noCursorState,
} from './checkpoint/sentinel-states';
export type { StreamSlice } from './checkpoint/stream-slice';
export { createStreamSlice, isStreamSlice } from './checkpoint/stream-slice';
export type { PartitionState } from './checkpoint/substream-resumable-full-refresh-cursor';
export { SubstreamResumableFullRefreshCursor } from './checkpoint/substream-resumable-full-refresh-cursor';
export type {
  CommandLineOptions,
  CommandLineSpec,
  ParsedCommandLine,
} from './cli/parse-command-line';
export { parseCommandLine, USAGE_EXIT_CODE, usageErrorLine } from './cli/parse-command-line';
export type { ProgressCounts, ProgressLineOptions, ProgressLineStream } from './cli/progress-line';
export { formatBytes, formatDuration, ProgressLine } from './cli/progress-line';
export type { RunSourceCliOptions } from './cli/run-source-cli';
export { launchSourceCli, runSourceCli } from './cli/run-source-cli';
export { AuthenticationError } from './errors/authentication-error';
export { CatalogError } from './errors/catalog-error';
export { CliUsageError } from './errors/cli-usage-error';
export type { ConfigProblem } from './errors/config-validation-error';
export { ConfigValidationError } from './errors/config-validation-error';
export type { HttpRequestErrorCode, HttpRequestErrorOptions } from './errors/http-request-error';
export { HttpRequestError } from './errors/http-request-error';
export { HttpStreamDefinitionError } from './errors/http-stream-definition-error';
export { PaginationLoopError } from './errors/pagination-loop-error';
export { ProtocolViolationError } from './errors/protocol-violation-error';
export { ReadOptionsError } from './errors/read-options-error';
export { SliceError } from './errors/slice-error';
export { StateParseError } from './errors/state-parse-error';
export type { FailureType, StreamCdkErrorCode, StreamCdkErrorOptions } from './errors/stream-cdk-error';
export { StreamCdkError } from './errors/stream-cdk-error';
export { SyncFailedError } from './errors/sync-failed-error';
export type { TracedErrorOptions } from './errors/traced-error';
export { TracedError } from './errors/traced-error';
export type { ApiKeyAuthenticatorOptions } from './http/api-key-authenticator';
export { ApiKeyAuthenticator } from './http/api-key-authenticator';
export type { BackoffOptions } from './http/backoff';
export { backoffDelayMs, DEFAULT_BACKOFF_OPTIONS, parseRetryAfterMs } from './http/backoff';
export { BasicAuthenticator } from './http/basic-authenticator';
export { BearerTokenAuthenticator } from './http/bearer-token-authenticator';
export type { CursorPaginatorOptions } from './http/cursor-paginator';
export { cursorPaginator } from './http/cursor-paginator';
export type { HttpAuthenticator } from './http/http-authenticator';
export type { HttpResponseData } from './http/http-response-data';
export type { HttpResponseResolution } from './http/http-response-resolution';
export type { FormFields, HttpMethod, HttpRequestArgs } from './http/http-stream';
export { HttpStream, recordsAtPath } from './http/http-stream';
export type { LinkHeaderPaginatorOptions } from './http/link-header-paginator';
export { linkHeaderPaginator } from './http/link-header-paginator';
export type { OAuth2RefreshTokenOptions } from './http/oauth2-refresh-token-authenticator';
export { OAuth2RefreshTokenAuthenticator } from './http/oauth2-refresh-token-authenticator';
export type { OffsetPaginatorOptions } from './http/offset-paginator';
export { offsetPaginator } from './http/offset-paginator';
export type { PageNumberPaginatorOptions } from './http/page-number-paginator';
export { pageNumberPaginator } from './http/page-number-paginator';
export type { PageContext, Paginator } from './http/paginator';
export { stopPagingWhen } from './http/paginator';
export type { WebLink } from './http/parse-link-header';
export { parseLinkHeader } from './http/parse-link-header';
export type { QueryParams } from './http/query-params';
export type { RetryPolicy } from './http/retry-policy';
export { DEFAULT_RETRY_POLICY, isRetryableStatus } from './http/retry-policy';
export type { JsonSyntaxErrorLocation } from './json/locate-json-syntax-error';
export { locateJsonSyntaxError } from './json/locate-json-syntax-error';
export type { ParseJsonTextResult } from './json/parse-json-text';
export { parseJsonText } from './json/parse-json-text';
export type {
  AirbyteCatalog,
  AirbyteCatalogMessage,
  AirbyteConnectionStatus,
  AirbyteConnectionStatusMessage,
  AirbyteControl,
  AirbyteControlMessage,
  AirbyteErrorTrace,
  AirbyteEstimateTrace,
  AirbyteFailureType,
  AirbyteGlobalState,
  AirbyteLog,
  AirbyteLogLevel,
  AirbyteLogMessage,
  AirbyteMessage,
  AirbyteMessageType,
  AirbyteRecord,
  AirbyteRecordMessage,
  AirbyteSpecMessage,
  AirbyteStateMessage,
  AirbyteStateMessagePayload,
  AirbyteStateStats,
  AirbyteStateType,
  AirbyteStream,
  AirbyteStreamState,
  AirbyteStreamStatus,
  AirbyteStreamStatusTrace,
  AirbyteTrace,
  AirbyteTraceMessage,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
  ConnectorSpecification,
  DestinationSyncMode,
  JsonObject,
  StreamDescriptor,
  SyncMode,
} from './protocol/airbyte-protocol';
export { toJsonText } from './protocol/json-text';
export type { ErrorTraceOptions } from './protocol/message-factories';
export {
  catalogMessage,
  connectionStatusMessage,
  errorTrace,
  logMessage,
  recordMessage,
  specMessage,
  streamDescriptor,
  streamStateMessage,
  streamStatusTrace,
} from './protocol/message-factories';
export type { TextMasker } from './source/create-secret-masker';
export { createSecretMasker } from './source/create-secret-masker';
export type { CheckConnectionResult, ReadOptions } from './source/source';
export { errorTraceFor, Source } from './source/source';
export { validateConfig } from './source/validate-config';
export type { IncomingState } from './state/connector-state-manager';
export { ConnectorStateManager } from './state/connector-state-manager';
export type { CheckpointMixin, IncrementalMixin, StateMixin } from './stream/checkpoint-mixin';
export { hasCheckpointState } from './stream/checkpoint-mixin';
export type { SourceLogger } from './stream/source-logger';
export type {
  PrimaryKey,
  ReadRecordsArgs,
  ReadRecordsItem,
  RecordSource,
  StreamSlicesArgs,
} from './stream/stream';
export { Stream, wrapPrimaryKey } from './stream/stream';
export type { StreamMessage } from './stream/stream-message';
export { isStreamMessage, streamMessage } from './stream/stream-message';
export type { ReadPartitionArgs } from './stream/substream';
export { SubStream } from './stream/substream';
export type { ConfiguredCatalogOptions } from './testing/configured-catalog';
export { configuredCatalog } from './testing/configured-catalog';
export type { MessageSequenceOptions } from './testing/message-sequence';
export { describeMessage, expectMessageSequence, messageSequence } from './testing/message-sequence';
export {
  assertValidAirbyteMessage,
  assertValidConfiguredCatalog,
  assertValidMessages,
} from './testing/protocol-validation';
export type { NextRunStateOptions, ReadSourceArgs, ReadSourceResult } from './testing/read-source';
export {
  createReadSourceResult,
  latestStatePerStream,
  mergeStateForNextRun,
  readSource,
} from './testing/read-source';
