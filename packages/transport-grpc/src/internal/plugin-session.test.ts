import { encodeChunks } from '@sdk/arrow-chunker';
import { type Table, tableFromArrays } from 'apache-arrow';
import { testEngineConstants } from '../__fixtures__/raw-session.js';
import type { Anchor } from '../anchor.js';
import { TransportError } from '../errors/transport-error.js';
import type { sdk } from '../gen/sdk.js';
import type { PluginProvider } from '../plugin-provider.js';
import { AsyncChannel } from './async-channel.js';
import { PluginSession } from './plugin-session.js';
import type { ControlInMessage, RecordTransferInMessage } from './service-definition.js';

const settings = {
  maxStreamBytes: 1024 * 1024,
  maxQueuedBytes: 1024 * 1024,
  maxOutputChunkBytes: 1_000_000,
  outputBufferBytes: 1024 * 1024,
  translateTimeoutMs: 1_000,
  requestTimeoutMs: 1_000,
  maxPendingStreamBytes: 4 * 1024 * 1024,
};

function numbers(first: number): Table {
  return tableFromArrays({ n: Float64Array.from([first, first + 1]) });
}

/** Runs a session without gRPC: the test plays the engine, a shared timeline records both directions. */
function startSession(pluginClass: ConstructorParameters<typeof PluginSession>[0], ordered = true) {
  const session = new PluginSession(pluginClass, settings);
  if (ordered) session.enableOrderedCompletion();
  const control = new AsyncChannel<ControlInMessage>(100);
  const records = new AsyncChannel<RecordTransferInMessage>(100);
  const timeline: string[] = [];
  session.attachControl(control);
  session.attachRecords(records);
  const recordsDone = (async () => {
    for await (const message of session.recordOut) {
      // Taking a message here stands for a carrier writing it.
      message.onWritten?.();
      const typed = message as sdk.RecordTransferOut.$Properties;
      if (typed.outgoingRecords) timeline.push(`out:records(${typed.outgoingRecords.anchorName})`);
      if (typed.closeOutgoingAnchor) timeline.push(`out:close(${typed.closeOutgoingAnchor.name})`);
    }
    timeline.push('out:records-end');
    session.recordStreamFinished();
  })();
  const controlDone = (async () => {
    try {
      for await (const message of session.controlOut) {
        if (message.confirmComplete) timeline.push('out:confirm');
        if (message.outputMessage) timeline.push(`msg:${message.outputMessage.message}`);
        if (message.translateMessage) {
          timeline.push(`out:translate(${message.translateMessage.unlocalizedString})`);
          void control.push({
            translatedMessage: { translatedMessage: 'translated!' },
            msgId: message.msgId ?? '',
          });
        }
      }
    } finally {
      session.controlStreamFinished();
    }
  })();
  const sendTable = async (anchorName: string, connectionName: string, table: Table) => {
    for (const chunk of encodeChunks(table, { maxChunkBytes: 64 })) {
      await records.push({ incomingRecords: { anchorName, connectionName, ...chunk } });
    }
  };
  const completeConnection = async (anchorName: string, connectionName: string) => {
    await records.push({ incomingConnectionComplete: { anchorName, connectionName } });
    await control.push({ incomingConnectionComplete: { anchorName, connectionName } });
  };
  const done = Promise.allSettled([recordsDone, controlDone]).then(() => session.error);
  return { session, control, records, timeline, sendTable, completeConnection, done };
}

const init = (incoming: Record<string, string[]>, outgoing: string[], updateMode = 0) => ({
  pluginInitializationData: {
    configXml: '<Configuration><Value>7</Value></Configuration>',
    incomingAnchors: Object.entries(incoming).map(([name, connections]) => ({
      name,
      connections: connections.map((connection) => ({ name: connection })),
    })),
    outgoingAnchors: outgoing.map((name) => ({ name, numConnections: 1 })),
    engineConstants: { ...testEngineConstants, ToolId: '42', ProxyConfiguration: 'host=proxy\nport=8080' },
    updateMode,
  },
});

class TimelinePlugin {
  constructor(
    private readonly provider: PluginProvider,
    private readonly timeline: string[],
  ) {}

  async onRecordBatch(table: Table, anchor: Anchor): Promise<void> {
    this.timeline.push(`cb:batch(${anchor.name}/${anchor.connection}:${table.getChild('n')?.get(0)})`);
    await this.provider.writeToAnchor('Output', table);
  }

  onIncomingConnectionComplete(anchor: Anchor): void {
    this.timeline.push(`cb:complete(${anchor.name}/${anchor.connection})`);
  }

  onComplete(): void {
    this.timeline.push('cb:onComplete');
  }
}

describe('PluginSession lifecycle ordering', () => {
  it('delivers batches, then connection completion, then onComplete, then closes, ends records and confirms', async () => {
    const shared: string[] = [];
    const harness = startSession(
      class extends TimelinePlugin {
        constructor(provider: PluginProvider) {
          super(provider, shared);
        }
      },
    );
    await harness.control.push(init({ Input: ['#1', '#2'] }, ['Output', 'Extra']));
    await harness.sendTable('Input', '#1', numbers(1));
    await harness.sendTable('Input', '#2', numbers(10));
    await harness.sendTable('Input', '#1', numbers(3));
    await harness.completeConnection('Input', '#1');
    await harness.completeConnection('Input', '#2');
    await harness.control.push({ notifyComplete: {} });
    expect(await harness.done).toBeUndefined();
    const callbacks = shared;
    expect(callbacks).toEqual([
      'cb:batch(Input/#1:1)',
      'cb:batch(Input/#2:10)',
      'cb:batch(Input/#1:3)',
      'cb:complete(Input/#1)',
      'cb:complete(Input/#2)',
      'cb:onComplete',
    ]);
    const tail = harness.timeline.filter(
      (event) => event.startsWith('out:') && !event.startsWith('out:records('),
    );
    expect(tail).toEqual(['out:close(Output)', 'out:close(Extra)', 'out:records-end', 'out:confirm']);
    expect(harness.timeline.filter((event) => event === 'out:records(Output)')).toHaveLength(3);
  });

  it('waits for the data-stream marker before completing a connection when the engine orders completion', async () => {
    const shared: string[] = [];
    const harness = startSession(
      class extends TimelinePlugin {
        constructor(provider: PluginProvider) {
          super(provider, shared);
        }
      },
    );
    await harness.control.push(init({ Input: ['#1'] }, ['Output']));
    // Control overtakes the data: completion must wait for the marker that follows the last piece.
    await harness.control.push({ incomingConnectionComplete: { anchorName: 'Input', connectionName: '#1' } });
    await harness.control.push({ notifyComplete: {} });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(shared).toEqual([]);
    await harness.sendTable('Input', '#1', numbers(5));
    await harness.records.push({ incomingConnectionComplete: { anchorName: 'Input', connectionName: '#1' } });
    expect(await harness.done).toBeUndefined();
    expect(shared).toEqual(['cb:batch(Input/#1:5)', 'cb:complete(Input/#1)', 'cb:onComplete']);
  });

  it('without the marker (a foreign engine), completes a connection only after the records already received', async () => {
    const shared: string[] = [];
    const harness = startSession(
      class extends TimelinePlugin {
        constructor(provider: PluginProvider) {
          super(provider, shared);
        }
      },
      false,
    );
    await harness.control.push(init({ Input: ['#1'] }, ['Output']));
    // The pieces are buffered but not yet read when Control says the connection is complete.
    await harness.sendTable('Input', '#1', numbers(7));
    await harness.sendTable('Input', '#1', numbers(9));
    await harness.control.push({ incomingConnectionComplete: { anchorName: 'Input', connectionName: '#1' } });
    await harness.control.push({ notifyComplete: {} });
    expect(await harness.done).toBeUndefined();
    expect(shared).toEqual([
      'cb:batch(Input/#1:7)',
      'cb:batch(Input/#1:9)',
      'cb:complete(Input/#1)',
      'cb:onComplete',
    ]);
  });

  it('completes at once for a tool without inputs', async () => {
    const shared: string[] = [];
    const harness = startSession(
      class extends TimelinePlugin {
        constructor(provider: PluginProvider) {
          super(provider, shared);
        }
      },
    );
    await harness.control.push(init({}, ['Output']));
    await harness.control.push({ notifyComplete: {} });
    expect(await harness.done).toBeUndefined();
    expect(shared).toEqual(['cb:onComplete']);
    expect(harness.timeline.filter((event) => event.startsWith('out:'))).toEqual([
      'out:close(Output)',
      'out:records-end',
      'out:confirm',
    ]);
  });

  it('in update-only mode runs only the constructor and confirms without close messages', async () => {
    const shared: string[] = [];
    const harness = startSession(
      class extends TimelinePlugin {
        constructor(provider: PluginProvider) {
          super(provider, shared);
          shared.push(`ctor:${provider.environment.updateMode}:${provider.environment.updateOnly}`);
        }
      },
    );
    await harness.control.push(init({ Input: ['#1'] }, ['Output'], 2));
    expect(await harness.done).toBeUndefined();
    expect(shared).toEqual(['ctor:quick:true']);
    expect(harness.timeline.filter((event) => event.startsWith('out:'))).toEqual([
      'out:records-end',
      'out:confirm',
    ]);
  });
});

describe('the provider a plugin receives', () => {
  it('exposes config, environment and frozen anchors, and validates anchor names on write', async () => {
    let provider: PluginProvider | undefined;
    const harness = startSession(
      class {
        constructor(received: PluginProvider) {
          provider = received;
        }
      },
    );
    await harness.control.push(init({ Input: ['#1'] }, ['Output']));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(provider?.toolConfigXml).toBe('<Configuration><Value>7</Value></Configuration>');
    expect(provider?.environment).toMatchObject({
      updateMode: 'run',
      updateOnly: false,
      toolId: 42,
      designerVersion: '2024.1',
      proxyConfiguration: { host: 'proxy', port: '8080' },
      alteryxLocale: 'en',
    });
    expect(Object.keys(provider?.incomingAnchors.Input?.connections ?? {})).toEqual(['#1']);
    expect(provider?.outgoingAnchors.Output?.numConnections).toBe(1);
    expect(Object.isFrozen(provider?.incomingAnchors)).toBe(true);
    const unknown = provider?.writeToAnchor('Nope', numbers(1));
    await expect(unknown).rejects.toMatchObject({ code: 'TRANSPORT_UNKNOWN_ANCHOR', anchorName: 'Nope' });
    await expect(provider?.writeToAnchor('Output', 'not a table' as never)).rejects.toMatchObject({
      code: 'TRANSPORT_CONFIG',
    });
    await provider?.closeOutgoingAnchor('Output');
    await provider?.closeOutgoingAnchor('Output');
    await expect(provider?.writeToAnchor('Output', numbers(1))).rejects.toMatchObject({
      code: 'TRANSPORT_CLOSED',
    });
    harness.session.fail(new TransportError('TRANSPORT_CANCELLED', 'test over'));
    await harness.done;
    expect(harness.timeline.filter((event) => event.startsWith('out:close'))).toEqual(['out:close(Output)']);
    expect(provider?.signal.aborted).toBe(true);
  });

  it('resolves translateMsg by msg_id and times out without an answer', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      let provider: PluginProvider | undefined;
      const session = new PluginSession(
        class {
          constructor(received: PluginProvider) {
            provider = received;
          }
        },
        settings,
      );
      const control = new AsyncChannel<ControlInMessage>(10);
      session.attachControl(control);
      await control.push(init({}, ['Output']));
      const sent: Array<{ msgId: string; text: string }> = [];
      const reader = (async () => {
        for await (const message of session.controlOut) {
          if (message.translateMessage) {
            sent.push({ msgId: message.msgId ?? '', text: message.translateMessage.unlocalizedString ?? '' });
          }
        }
      })();
      while (provider === undefined)
        await Promise.resolve(await new Promise((resolve) => setImmediate(resolve)));
      const answered = provider.io.translateMsg('Hi %1', 'Ada');
      const unanswered = provider.io.translateMsg('Nobody answers');
      while (sent.length < 2) await new Promise((resolve) => setImmediate(resolve));
      expect(sent[0]?.msgId).toMatch(/^[0-9a-f-]{36}$/);
      expect(sent[0]?.msgId).not.toBe(sent[1]?.msgId);
      await control.push({ translatedMessage: { translatedMessage: 'Hallo Ada' }, msgId: sent[0]?.msgId });
      await expect(answered).resolves.toBe('Hallo Ada');
      jest.advanceTimersByTime(settings.translateTimeoutMs + 1);
      await expect(unanswered).rejects.toMatchObject({ code: 'TRANSPORT_TIMEOUT' });
      session.fail(new TransportError('TRANSPORT_CANCELLED', 'test over'));
      await reader.catch(() => undefined);
    } finally {
      jest.useRealTimers();
    }
  });

  it('times out password and DCM requests after requestTimeoutMs, or a per-call timeoutMs', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      let provider: PluginProvider | undefined;
      const session = new PluginSession(
        class {
          constructor(received: PluginProvider) {
            provider = received;
          }
        },
        { ...settings, requestTimeoutMs: 5_000 },
      );
      const control = new AsyncChannel<ControlInMessage>(10);
      session.attachControl(control);
      await control.push(init({}, ['Output']));
      const reader = (async () => {
        for await (const _message of session.controlOut) {
          // The engine never answers.
        }
      })();
      while (provider === undefined) await new Promise((resolve) => setImmediate(resolve));
      const outcomes: string[] = [];
      const track = (name: string, promise: Promise<unknown>) =>
        promise.then(
          () => outcomes.push(`${name}:resolved`),
          (error: TransportError) => outcomes.push(`${name}:${error.code}`),
        );
      const password = track('password', provider.io.decryptPassword('x'));
      const shortDcm = track('dcm-100ms', provider.io.getConnection('c', { timeoutMs: 100 }));
      const defaultDcm = track('dcm', provider.io.getConnection('c'));
      jest.advanceTimersByTime(101);
      await shortDcm;
      expect(outcomes).toEqual(['dcm-100ms:TRANSPORT_TIMEOUT']);
      jest.advanceTimersByTime(5_000);
      await Promise.all([password, defaultDcm]);
      expect(outcomes.sort()).toEqual([
        'dcm-100ms:TRANSPORT_TIMEOUT',
        'dcm:TRANSPORT_TIMEOUT',
        'password:TRANSPORT_TIMEOUT',
      ]);
      await expect(provider.io.getConnection('c', { timeoutMs: 0 })).rejects.toMatchObject({
        code: 'TRANSPORT_CONFIG',
      });
      session.fail(new TransportError('TRANSPORT_CANCELLED', 'test over'));
      await reader.catch(() => undefined);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports a throwing constructor as TRANSPORT_PLUGIN_FAILED', async () => {
    const harness = startSession(
      class {
        constructor() {
          throw new Error('bad config');
        }
      },
    );
    await harness.control.push(init({}, []));
    const error = await harness.done;
    expect(error?.code).toBe('TRANSPORT_PLUGIN_FAILED');
    expect(error?.message).toContain('constructor threw Error: bad config');
  });

  it('rejects init without the engine constants the AMP SDK requires', async () => {
    const harness = startSession(class {});
    await harness.control.push({ pluginInitializationData: { engineConstants: {} } });
    const error = await harness.done;
    expect(error?.code).toBe('TRANSPORT_PROTOCOL');
    expect(error?.message).toContain('Engine.Version');
  });
});
