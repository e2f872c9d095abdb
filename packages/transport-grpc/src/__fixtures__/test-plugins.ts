import { type Table, tableFromArrays } from 'apache-arrow';
import type { Anchor } from '../anchor.js';
import { TransportError } from '../errors/transport-error.js';
import { OutputMessagePriority, type PluginProvider } from '../plugin-provider.js';
import type { SdkPlugin } from '../sdk-plugin.js';

/** Writes every incoming table to `Output` unchanged. */
export class PassThroughPlugin implements SdkPlugin {
  constructor(private readonly provider: PluginProvider) {}

  async onRecordBatch(table: Table): Promise<void> {
    await this.provider.writeToAnchor('Output', table);
  }
}

/** Records the order of callbacks and echoes it in messages, then writes one row per batch. */
export class RecordingPlugin implements SdkPlugin {
  constructor(private readonly provider: PluginProvider) {
    provider.io.info(`init mode=${provider.environment.updateMode}`);
  }

  async onRecordBatch(table: Table, anchor: Anchor): Promise<void> {
    this.provider.io.info(
      `batch ${anchor.name}/${anchor.connection} rows=${table.numRows} first=${table.getChildAt(0)?.get(0)}`,
    );
  }

  onIncomingConnectionComplete(anchor: Anchor): void {
    this.provider.io.info(`complete ${anchor.name}/${anchor.connection}`);
  }

  onComplete(): void {
    this.provider.io.info('onComplete');
  }
}

/** Throws in onRecordBatch with a recognisable message. */
export class ThrowingPlugin implements SdkPlugin {
  onRecordBatch(): void {
    throw new RangeError('plugin exploded on purpose');
  }
}

/** Dies (exit code 3) on its first batch, as a crashing native module would. */
export class DyingPlugin implements SdkPlugin {
  onRecordBatch(): void {
    process.exit(3);
  }
}

/** Never finishes a batch until the run is cancelled. */
export class HangingPlugin implements SdkPlugin {
  constructor(private readonly provider: PluginProvider) {}

  onRecordBatch(): Promise<void> {
    return new Promise((resolve) => {
      this.provider.signal.addEventListener('abort', () => resolve());
    });
  }
}

/** No inputs: writes `count` tables of `rows` rows each in onComplete (engine-paced source). */
export function createSourcePlugin(
  count: number,
  rows: number,
  onWritten?: (index: number) => void,
): new (
  provider: PluginProvider,
) => SdkPlugin {
  return class SourcePlugin implements SdkPlugin {
    constructor(private readonly provider: PluginProvider) {}

    async onComplete(): Promise<void> {
      for (let index = 0; index < count; index += 1) {
        const values = new Float64Array(rows).fill(index);
        await this.provider.writeToAnchor('Output', tableFromArrays({ value: values }));
        onWritten?.(index);
      }
    }
  };
}

/** Pushes outgoing metadata in its constructor (update-only mode) and translates a message. */
export class MetadataPlugin implements SdkPlugin {
  constructor(private readonly provider: PluginProvider) {
    provider.pushOutgoingMetadata('Output', tableFromArrays({ id: new Int32Array(0) }).schema);
  }

  async onComplete(): Promise<void> {
    const translated = await this.provider.io.translateMsg('Hello %1 and %2', 'Ada', 42);
    this.provider.io.info(translated);
    this.provider.io.translateMsgUseCallback((text) => this.provider.io.warn(text), 'Bye %1', 'Ada');
  }
}

/** The code a call throws, or 'none'. */
function codeOf(call: () => void): string {
  try {
    call();
    return 'none';
  } catch (error) {
    return TransportError.isInstance(error) ? error.code : 'untyped';
  }
}

/** In onComplete: progress 0, 0.5, 1, prioritised messages, and what each invalid argument threw. */
export class ProgressPlugin implements SdkPlugin {
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
