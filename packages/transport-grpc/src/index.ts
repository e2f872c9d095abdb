export type { Anchor } from './anchor';
export { createAnchor } from './anchor';
export type {
  EngineRunOptions,
  EngineRunResult,
  IncomingAnchorSpec,
  OutgoingAnchorSpec,
  PluginMessage,
  PluginMessageKind,
  PluginOutput,
} from './engine-run';
export { EngineRun } from './engine-run';
export type { TransportErrorCode, TransportErrorOptions } from './errors/transport-error';
export { isTransportErrorCode, TransportError } from './errors/transport-error';
export type { LaunchPluginOptions, PluginProcess } from './launch-plugin';
export { launchPlugin } from './launch-plugin';
export type {
  PluginConnection,
  PluginConnectionOptions,
  PluginConnectionTlsOptions,
} from './plugin-connection';
export { connectToPlugin } from './plugin-connection';
export type { PluginEnvironment, UpdateMode } from './plugin-environment';
export type {
  IncomingAnchorInfo,
  IncomingConnectionInfo,
  OutgoingAnchorInfo,
  PluginIo,
  PluginProvider,
} from './plugin-provider';
export type { PluginServer, PluginServerOptions, PluginServerTlsOptions } from './plugin-server';
export { startPluginServer } from './plugin-server';
export type { ConnectionInput, RunPluginOptions, RunPluginResult } from './run-plugin';
export { runPlugin } from './run-plugin';
export type { SdkPlugin, SdkPluginClass } from './sdk-plugin';
export type { ServePluginProcessOptions } from './serve-plugin-process';
export { servePluginProcess } from './serve-plugin-process';
