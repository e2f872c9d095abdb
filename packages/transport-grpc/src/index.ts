export type { Anchor } from './anchor.js';
export { createAnchor } from './anchor.js';
export type {
  DcmAnswer,
  DcmFreeWriteLockParams,
  DcmGetWriteLockParams,
  DcmLockAndUpdateSecretParams,
  DcmLockAndUpdateSecretResult,
  DcmObject,
  DcmRequest,
  DcmSecretTarget,
  DcmUpdateSecretParams,
  DcmValue,
  EngineRequestOptions,
} from './dcm-request.js';
export type {
  EngineRunOptions,
  EngineRunResult,
  IncomingAnchorSpec,
  OutgoingAnchorSpec,
  PluginMessage,
  PluginMessageKind,
  PluginOutput,
} from './engine-run.js';
export { EngineRun } from './engine-run.js';
export type { TransportErrorCode, TransportErrorOptions } from './errors/transport-error.js';
export { isTransportErrorCode, TransportError } from './errors/transport-error.js';
export type { GrpcCarrier } from './grpc-carrier.js';
export { defaultGrpcCarrier } from './grpc-carrier.js';
export type { LaunchPluginOptions, PluginProcess } from './launch-plugin.js';
export { launchPlugin } from './launch-plugin.js';
export type {
  PluginConnection,
  PluginConnectionOptions,
  PluginConnectionTlsOptions,
} from './plugin-connection.js';
export { connectToPlugin } from './plugin-connection.js';
export type { PluginEnvironment, UpdateMode } from './plugin-environment.js';
export type {
  IncomingAnchorInfo,
  IncomingConnectionInfo,
  OutgoingAnchorInfo,
  OutputMessageOptions,
  PluginIo,
  PluginProvider,
} from './plugin-provider.js';
export { OutputMessagePriority, progressEngineVersion } from './plugin-provider.js';
export type { PluginServer, PluginServerOptions, PluginServerTlsOptions } from './plugin-server.js';
export { startPluginServer } from './plugin-server.js';
export type { ConnectionInput, RunPluginOptions, RunPluginResult } from './run-plugin.js';
export { runPlugin } from './run-plugin.js';
export type { SdkPlugin, SdkPluginClass } from './sdk-plugin.js';
export type { ServePluginProcessOptions } from './serve-plugin-process.js';
export { servePluginProcess } from './serve-plugin-process.js';
export type { ToolConfigElement } from './tool-config-xml.js';
export { parseToolConfigXml } from './tool-config-xml.js';
