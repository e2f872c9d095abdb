export type { ParseCommandLineOptions, ParsedCommandLine } from './command-line';
export { formatParamsHelp, parseParamsCommandLine } from './command-line';
export type {
  DataRecord,
  DataSourceEvents,
  DataSourceOptions,
  ProgressEvent,
  RawRecord,
  ReadResult,
  SourceParams,
  SourceStateEvent,
} from './data-source';
export { DataSource } from './data-source';
export type { DataSourceConfig, ParamDefinition, ParamType, ParamValue } from './data-source-config';
export type { DataSourceClass, DataSourceModule } from './data-source-module';
export { toDataSourceModule } from './data-source-module';
export { BackgroundTimeoutError } from './errors/background-timeout-error';
export { CheckpointMismatchError } from './errors/checkpoint-mismatch-error';
export { ConfigError } from './errors/config-error';
export type { DatasourceErrorCode, DatasourceErrorOptions } from './errors/datasource-error';
export { DatasourceError, isRetryableError } from './errors/datasource-error';
export type { ParamIssue } from './errors/incorrect-param-error';
export { IncorrectParamError } from './errors/incorrect-param-error';
export { InvalidRecordError } from './errors/invalid-record-error';
export { ModuleContractError } from './errors/module-contract-error';
export type { ErrorPhase, NormalizedSourceErrorFields } from './errors/normalized-source-error';
export { NormalizedSourceError } from './errors/normalized-source-error';
export { ReadFailedError } from './errors/read-failed-error';
export { SendFailedError } from './errors/send-failed-error';
export { SourceError } from './errors/source-error';
export { StateContractError } from './errors/state-contract-error';
export { StateFileError } from './errors/state-file-error';
export type { TokenValidationErrorOptions } from './errors/token-validation-error';
export { TokenValidationError } from './errors/token-validation-error';
export { WriterClosedError } from './errors/writer-closed-error';
export type { EventHandler, WildcardEventHandler } from './event-emitter';
export { EventEmitter } from './event-emitter';
export type { BackoffOptions } from './retry/backoff';
export { backoffDelayMs, DEFAULT_BACKOFF_OPTIONS, parseRetryAfterMs } from './retry/backoff';
export type { ProgressMode, ProgressReporter, ProgressReporterOptions } from './runner/progress-reporter';
export { createProgressReporter } from './runner/progress-reporter';
export type { RunDataSourceOptions, RunSummary, StateContractMode } from './runner/run-data-source';
export { runDataSource } from './runner/run-data-source';
export { stateIdsOfBatch } from './runner/state-contract';
export type { RunState, SaveStateFileExtras, StateFileContents } from './runner/state-file';
export { loadStateFile, readStateFile, saveStateFile } from './runner/state-file';
export {
  isSecretOption,
  mergeSourceOptions,
  parseOptionAssignments,
  redactSourceOptions,
  validateSourceOptions,
} from './source-options';
export type { ValidateParamsOptions } from './validate-params';
export { isSecretParam, redactParams, validateParams } from './validate-params';
export type { ErrorMatcher, ValidateTokenOptions } from './validate-token';
export { refreshAccessToken, validateToken } from './validate-token';
export type { ErrorClass } from './wrap-errors';
export { ERROR_CODE_DESCRIPTIONS, normalizeError, setInternalCode, wrapErrors } from './wrap-errors';
export type { JsonLinesFileSinkOptions } from './writer/json-lines-file-sink';
export { createJsonLinesFileSink } from './writer/json-lines-file-sink';
export type { JsonRecordEncodingOptions, NonFiniteNumbers } from './writer/json-record-encoding';
export { encodeJsonRecord } from './writer/json-record-encoding';
export type {
  HttpDeduplicationMode,
  HttpSinkResponse,
  PanoplyHttpSinkOptions,
  SendMessageFormExtras,
} from './writer/panoply-http-sink';
export {
  buildSendMessageForm,
  createPanoplyHttpSink,
  DEDUPLICATION_ATTRIBUTE,
  DEFAULT_SDK_IDENTIFIER,
  deriveQueueUrl,
} from './writer/panoply-http-sink';
export type {
  PanoplySdkOptions,
  PanoplyWriterOptions,
  WriteBatchOptions,
  WriterEvents,
  WriterFlushResult,
} from './writer/panoply-writer';
export { createPanoplySdk, PanoplyWriter } from './writer/panoply-writer';
export type { Sink, SinkCheckpoint } from './writer/sink';
export type { WriterBatch } from './writer/writer-batch';
