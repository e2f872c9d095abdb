import { TransportError } from './errors/transport-error.js';
import type { GrpcCarrier } from './grpc-carrier.js';
import { connectToPlugin } from './plugin-connection.js';
import { OutputMessagePriority, type PluginProvider, progressEngineVersion } from './plugin-provider.js';
import { startPluginServer } from './plugin-server.js';
import { runPlugin } from './run-plugin.js';
import type { SdkPlugin } from './sdk-plugin.js';

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

/** The code a call throws, or 'none'. */
function codeOf(call: () => void): string {
  try {
    call();
    return 'none';
  } catch (error) {
    return TransportError.isInstance(error) ? error.code : 'untyped';
  }
}

/** Reports progress and prioritised messages, and what each invalid argument threw. */
class ProgressPlugin implements SdkPlugin {
  constructor(private readonly provider: PluginProvider) {}

  onComplete(): void {
    const io = this.provider.io;
    io.updateProgress(0);
    io.info('important', { priority: 5 });
    io.updateProgress(0.5);
    io.warn('plain');
    io.error('flagged', { priority: OutputMessagePriority.none });
    io.updateProgress(1);
    const invalid = [
      () => io.updateProgress(1.5),
      () => io.updateProgress(-0.01),
      () => io.updateProgress(Number.NaN),
      () => io.updateProgress('0.5' as unknown as number),
      () => io.info('x', { priority: -1 }),
      () => io.warn('x', { priority: 1.5 }),
      () => io.error('x', { priority: 2 ** 31 }),
    ];
    io.info(`invalid: ${invalid.map(codeOf).join(',')}`);
  }
}

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
