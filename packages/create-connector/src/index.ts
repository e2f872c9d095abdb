export type { ConnectorEngine, ConnectorEngineDefinition } from './connector-engines';
export {
  CONNECTOR_ENGINE_NAMES,
  CONNECTOR_ENGINES,
  engineDependencies,
  extraEngines,
  parseConnectorEngines,
} from './connector-engines';
export type { ConnectorKind, ConnectorKindDefinition } from './connector-kinds';
export { CONNECTOR_KIND_NAMES, CONNECTOR_KINDS, connectorKind } from './connector-kinds';
export type { CreateConnectorErrorCode, CreateConnectorErrorOptions } from './errors/create-connector-error';
export { CreateConnectorError } from './errors/create-connector-error';
export { InvalidConnectorNameError } from './errors/invalid-connector-name-error';
export { TargetExistsError } from './errors/target-exists-error';
export { TemplateError } from './errors/template-error';
export { UnknownKindError } from './errors/unknown-kind-error';
export { UsageError } from './errors/usage-error';
export type { GenerateConnectorOptions, GeneratedConnector } from './generate-connector';
export { generateConnector } from './generate-connector';
export type { GenerationMode } from './generation-mode';
export type { PlanConnectorFilesOptions, PlannedFile } from './plan-connector-files';
export { planConnectorFiles } from './plan-connector-files';
export type {
  CliOutput,
  CreateConnectorArgs,
  RunCreateConnectorCliOptions,
} from './run-create-connector-cli';
export {
  createConnectorUsage,
  parseCreateConnectorArgs,
  runCreateConnectorCli,
} from './run-create-connector-cli';
export { substitutePlaceholders } from './substitute-placeholders';
export { MAX_CONNECTOR_NAME_LENGTH, validateConnectorName } from './validate-connector-name';
