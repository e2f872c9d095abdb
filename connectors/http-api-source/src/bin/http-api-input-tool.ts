#!/usr/bin/env node
import { servePluginProcess } from '@sdk/transport-grpc';
import { HttpApiInputTool } from '../http-api-input-tool';

// An AMP-style plugin process: prints `ListenPort: <port>`, serves sdk.SdkToolV2 until SIGTERM.
void servePluginProcess(HttpApiInputTool);
