/** Environment variable through which the engine hands the plugin its auth token. */
export const authTokenEnvVar = 'SDK_PLUGIN_AUTH_TOKEN';
/** Service-mode bind address (`host:port`), as in the AMP SDK. */
export const serviceAddressEnvVar = 'TOOL_SERVICE_ADDRESS';
