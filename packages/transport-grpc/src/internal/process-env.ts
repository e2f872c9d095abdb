/** Environment variable through which the engine hands the plugin its auth token. */
export const authTokenEnvVar = 'SDK_PLUGIN_AUTH_TOKEN';
/**
 * Environment variable naming the gRPC carrier of a plugin host's server (`http2` or `grpc-js`); set by
 * `launchPlugin`, read by `servePluginProcess` when its options name none.
 */
export const carrierEnvVar = 'SDK_TRANSPORT_CARRIER';
/** Service-mode bind address (`host:port`), as in the AMP SDK. */
export const serviceAddressEnvVar = 'TOOL_SERVICE_ADDRESS';
