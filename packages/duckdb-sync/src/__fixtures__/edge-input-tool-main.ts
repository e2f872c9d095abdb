// The fixture source as an AMP-style input tool (one outgoing anchor per stream), through
// @sdk/amp-input-tool. Its pid goes to stderr, for the tests that kill it.
import { sourceAsInputTool } from '@sdk/amp-input-tool';
import { servePluginProcess } from '@sdk/transport-grpc';
import { EdgeSource } from './edge-source';

process.stderr.write(`pid ${process.pid}\n`);
void servePluginProcess(sourceAsInputTool(new EdgeSource(), { maxRowsPerTable: 8, extraFields: 'ignore' }));
