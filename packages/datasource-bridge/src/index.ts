export { connectionSpecificationToParams } from './connection-specification-to-params';
export type { DataSourceAsSourceOptions, DeclaredStream } from './data-source-as-source';
export { DataSourceAsSource, dataSourceAsSource } from './data-source-as-source';
export type { BridgeErrorCode, BridgeErrorOptions } from './errors/bridge-error';
export { BridgeError } from './errors/bridge-error';
export type { SourceFailureType } from './errors/source-failed-error';
export { SourceFailedError } from './errors/source-failed-error';
export type { InferJsonSchemaOptions, JsonSchemaObject } from './infer-json-schema';
export { inferJsonSchema } from './infer-json-schema';
export type { BridgeStreamState } from './internal/bridge-stream-state';
export { paramsToConnectionSpecification } from './params-to-connection-specification';
export type { SourceAsDataSourceOptions } from './source-as-data-source';
export {
  AIRBYTE_STATE_KEY,
  createSourceDataSourceModule,
  sourceAsDataSourceModule,
} from './source-as-data-source';
