#!/usr/bin/env node
import { sourceAsInputTool } from '@sdk/amp-input-tool';
import { servePluginProcess } from '@sdk/transport-grpc';
import { createPostgresAirbyteSource } from '../postgres-airbyte-source';

// An AMP-style input tool: prints `ListenPort: <port>`, then serves one outgoing anchor per table.
void servePluginProcess(sourceAsInputTool(createPostgresAirbyteSource()));
