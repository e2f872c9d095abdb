#!/usr/bin/env node
import { servePluginProcess } from '@sdk/transport-grpc';
import { TransformTool } from '../transform-tool';

// Launched by an engine (or `launchPlugin({ command: 'transform-tool' })`): serves the plugin on
// loopback, prints `ListenPort: <port>`, and shuts down gracefully on SIGTERM.
servePluginProcess(TransformTool).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
