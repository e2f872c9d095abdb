import { join } from 'node:path';
import { ProgressPlugin } from './__fixtures__/test-plugins.js';
import type { GrpcCarrier } from './grpc-carrier.js';
import { launchPlugin } from './launch-plugin.js';
import { connectToPlugin } from './plugin-connection.js';
import { progressEngineVersion } from './plugin-provider.js';
import { startPluginServer } from './plugin-server.js';
import { runPlugin } from './run-plugin.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const carrierPairs: ReadonlyArray<{ server: GrpcCarrier; engine: GrpcCarrier }> = [
  { server: 'http2', engine: 'http2' },
  { server: 'grpc-js', engine: 'grpc-js' },
  { server: 'http2', engine: 'grpc-js' },
  { server: 'grpc-js', engine: 'http2' },
];

describe.each(carrierPairs)(
  'update_progress and priorities, plugin server on $server, engine on $engine',
  (pair) => {
    async function run(engineVersion: string) {
      const server = await startPluginServer(ProgressPlugin, {
        host: '127.0.0.1',
        port: 0,
        carrier: pair.server,
      });
      cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
      const connection = connectToPlugin({ address: `127.0.0.1:${server.port}`, carrier: pair.engine });
      cleanups.push(() => connection.close());
      const progress: number[] = [];
      const result = await runPlugin(connection, {
        engineConstants: { 'Engine.Version': engineVersion },
        onProgress: (fraction) => progress.push(fraction),
        timeoutMs: 60_000,
      });
      const byText = new Map(result.messages.map((message) => [message.message, message]));
      return { result, progress, byText };
    }

    it('sends progress and priorities to an engine whose Engine.Version understands them', async () => {
      const { result, progress, byText } = await run('2024.1.0.0');
      expect(progress).toEqual([0, 0.5, 1]);
      expect(result.progress).toBe(1);
      expect(byText.get('important')).toEqual({ kind: 'info', message: 'important', priority: 5 });
      expect(byText.get('plain')).toEqual({ kind: 'warning', message: 'plain', priority: 0 });
      expect(byText.get('flagged')).toEqual({ kind: 'error', message: 'flagged', priority: 0 });
      expect(byText.has(`invalid: ${Array(7).fill('TRANSPORT_CONFIG').join(',')}`)).toBe(true);
    }, 60_000);

    it('sends neither to an older engine: updateProgress is a no-op and messages go without priority', async () => {
      expect(progressEngineVersion).toBe('2024.1');
      const { result, progress, byText } = await run('2023.2.1.89');
      expect(progress).toEqual([]);
      expect(result.progress).toBeUndefined();
      expect(byText.get('important')).toEqual({ kind: 'info', message: 'important', priority: 0 });
      // The arguments are checked the same way whatever the engine.
      expect(byText.has(`invalid: ${Array(7).fill('TRANSPORT_CONFIG').join(',')}`)).toBe(true);
    }, 60_000);
  },
);

describe('the debug line for an older engine', () => {
  it('writes one NODE_DEBUG=sdk-transport line per update_progress and priority left out', async () => {
    const stderr: string[] = [];
    const plugin = await launchPlugin({
      modulePath: join(__dirname, '__fixtures__', 'test-plugins.ts'),
      exportName: 'ProgressPlugin',
      // The child runs this package's TypeScript sources through the workspace's transpile-on-require hook.
      nodeArgs: ['-r', join(__dirname, '..', '..', '..', 'scripts', 'ts-register.js')],
      env: { ...process.env, NODE_DEBUG: 'sdk-transport' },
      onStderr: (line) => stderr.push(line),
    });
    try {
      const progress: number[] = [];
      await runPlugin(plugin, {
        engineConstants: { 'Engine.Version': '2023.2.1.89' },
        onProgress: (fraction) => progress.push(fraction),
        timeoutMs: 60_000,
      });
      expect(progress).toEqual([]);
    } finally {
      await plugin.close();
    }
    const lines = stderr.filter((line) => /^SDK-TRANSPORT \d+: /.test(line));
    expect(lines.filter((line) => line.includes('updateProgress'))).toEqual([
      expect.stringContaining('updateProgress(0) not sent: Engine.Version "2023.2.1.89"'),
      expect.stringContaining('updateProgress(0.5) not sent'),
      expect.stringContaining('updateProgress(1) not sent'),
    ]);
    expect(lines.filter((line) => line.includes('priority 5 dropped'))).toHaveLength(1);
  }, 60_000);
});
