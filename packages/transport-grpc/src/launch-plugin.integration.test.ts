import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { TransportError } from './errors/transport-error.js';
import type { GrpcCarrier } from './grpc-carrier.js';
import { type LaunchPluginOptions, launchPlugin, type PluginProcess } from './launch-plugin.js';
import { connectToPlugin } from './plugin-connection.js';
import { runPlugin } from './run-plugin.js';

const fixtures = join(__dirname, '__fixtures__');
// The child runs this package's TypeScript sources through a small transpile-on-require hook.
// The workspace's shared test tool that lets a child process run TypeScript sources.
const nodeArgs = ['-r', join(__dirname, '..', '..', '..', 'scripts', 'ts-register.js')];
const launched: PluginProcess[] = [];
let carrier: GrpcCarrier = 'http2';

afterEach(async () => {
  for (const plugin of launched.splice(0)) await plugin.close();
});

async function launch(
  exportName: string,
  options: Partial<LaunchPluginOptions> = {},
): Promise<PluginProcess> {
  const plugin = await launchPlugin({
    modulePath: join(fixtures, 'test-plugins.ts'),
    exportName,
    nodeArgs,
    onStderr: () => undefined,
    carrier,
    ...options,
  });
  launched.push(plugin);
  return plugin;
}

function rows(count: number) {
  return tableFromArrays({ n: Float64Array.from({ length: count }, (_, index) => index) });
}

async function rejectionOf(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (error) {
    expect(TransportError.isInstance(error)).toBe(true);
    return error as TransportError;
  }
  throw new Error('expected a rejection');
}

describe.each(['http2', 'grpc-js'] as const)(
  'a plugin process launched like the AMP engine does, on %s',
  (launchCarrier) => {
    beforeAll(() => {
      carrier = launchCarrier;
    });

    it('reads ListenPort, streams a table through it and shuts it down gracefully with SIGTERM', async () => {
      const plugin = await launch('PassThroughPlugin');
      expect(plugin.port).toBeGreaterThan(0);
      const result = await runPlugin(plugin, {
        inputs: { Input: { '#1': [rows(50_000)] } },
        outgoingAnchors: [{ name: 'Output' }],
      });
      expect(result.outputs.get('Output')?.[0]?.numRows).toBe(50_000);
      await plugin.close();
      expect(await plugin.exited).toBe(0);
    });

    it('requires the launch token: a call without it is unauthenticated', async () => {
      const plugin = await launch('PassThroughPlugin');
      const intruder = connectToPlugin({ address: `127.0.0.1:${plugin.port}`, carrier });
      try {
        const error = await rejectionOf(runPlugin(intruder));
        expect(error.code).toBe('TRANSPORT_UNAUTHENTICATED');
      } finally {
        await intruder.close();
      }
    });

    it('fails fast with TRANSPORT_PLUGIN_EXITED when the plugin process dies mid-stream', async () => {
      const plugin = await launch('DyingPlugin');
      const started = Date.now();
      const error = await rejectionOf(
        runPlugin(plugin, { inputs: { Input: { '#1': [rows(10), rows(10)] } } }),
      );
      expect(error.code).toBe('TRANSPORT_PLUGIN_EXITED');
      expect(error.message).toContain('exit code 3');
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('fails the run when the plugin process is killed while a callback runs', async () => {
      const plugin = await launch('HangingPlugin');
      const run = plugin.startRun({ incomingAnchors: [{ name: 'Input', connections: ['#1'] }] });
      await run.send('Input', '#1', rows(10));
      plugin.kill('SIGKILL');
      const error = await rejectionOf(run.finished);
      expect(error.code).toBe('TRANSPORT_PLUGIN_EXITED');
      expect(error.message).toContain('SIGKILL');
    });

    it('reports a module without a plugin class as TRANSPORT_PLUGIN_START with its stderr', async () => {
      const error = await rejectionOf(
        launchPlugin({
          modulePath: join(fixtures, 'no-plugin-module.ts'),
          nodeArgs,
          onStderr: () => undefined,
        }),
      );
      expect(error.code).toBe('TRANSPORT_PLUGIN_START');
      expect(error.message).toContain('exports no plugin class');
    });
  },
);
