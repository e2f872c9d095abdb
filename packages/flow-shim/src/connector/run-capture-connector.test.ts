import { PassThrough, Writable } from 'node:stream';
import { ConnectorLogger } from '../io/connector-logger';
import type { OpenRequest } from '../protocol/capture-request';
import { validateCaptureResponseLine } from '../protocol/validate-capture-response';
import { CaptureConnector, type CapturePlan } from './capture-connector';
import { runCaptureConnector } from './run-capture-connector';

type Behaviour = (request: OpenRequest) => CapturePlan;

class TestConnector extends CaptureConnector {
  constructor(private readonly behaviour: Behaviour = () => ({ tasks: [] })) {
    super();
  }
  spec() {
    return {
      configSchema: {},
      resourceConfigSchema: {},
      documentationUrl: 'https://example.invalid',
      resourcePathPointers: ['/name'],
    };
  }
  discover() {
    return [
      {
        recommendedName: 'a',
        resourceConfig: { name: 'a' },
        documentSchema: { type: 'object', properties: { id: { type: 'string' } } },
        key: ['/id'],
      },
    ];
  }
  validate(request: { bindings: unknown[] }) {
    return request.bindings.map(() => ({ resourcePath: ['a'] }));
  }
  open(request: OpenRequest) {
    return this.behaviour(request);
  }
}

function openLine(bindings = 1, state: unknown = {}): string {
  const capture = {
    name: 'acmeCo/test',
    bindings: Array.from({ length: bindings }, (_, index) => ({
      resourceConfig: { name: `b${index}` },
      resourcePath: [`b${index}`],
      collection: { name: `acmeCo/b${index}`, key: ['/id'] },
      stateKey: `b${index}`,
    })),
  };
  return `${JSON.stringify({ open: { capture, state } })}\n`;
}

interface Run {
  stdin: PassThrough;
  lines: string[];
  logs: string[];
  exit: Promise<number>;
}

function start(
  connector: CaptureConnector,
  options: { maxLineBytes?: number; maxBufferedBytesPerTask?: number; level?: 'debug' | 'info' } = {},
): Run {
  const stdin = new PassThrough();
  const lines: string[] = [];
  let partial = '';
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const pieces = (partial + chunk.toString()).split('\n');
      partial = pieces.pop() ?? '';
      lines.push(...pieces);
      callback();
    },
  });
  const logs: string[] = [];
  const logger = new ConnectorLogger({ level: options.level ?? 'info', write: (line) => logs.push(line) });
  const exit = runCaptureConnector(connector, {
    stdin,
    stdout,
    logger,
    argv: ['--unknown', '--log.level=trace'],
    ...options,
  });
  return { stdin, lines, logs, exit };
}

describe('runCaptureConnector', () => {
  it('answers an empty spec request with protocol 3032023 and exits 0 at end of input', async () => {
    const run = start(new TestConnector());
    run.stdin.end('{"spec":{}}\n');
    expect(await run.exit).toBe(0);
    expect(run.lines).toHaveLength(1);
    expect(validateCaptureResponseLine(run.lines[0] as string)).toBe('spec');
    expect(JSON.parse(run.lines[0] as string).spec.protocol).toBe(3032023);
  });

  it('answers several unary requests in order, each a contract-valid line', async () => {
    const run = start(new TestConnector());
    run.stdin.write('{"discover":{"connector_type":"LOCAL","config":{}}}\n\n');
    run.stdin.end('{"validate":{"bindings":[{"resourceConfig":{"name":"a"}}]}}\n{"apply":{}}');
    expect(await run.exit).toBe(0);
    expect(run.lines.map((line) => validateCaptureResponseLine(line))).toEqual([
      'discovered',
      'validated',
      'applied',
    ]);
    expect(JSON.parse(run.lines[2] as string)).toEqual({ applied: {} });
  });

  it.each([
    ['a garbage line', 'this is not json\n', 'FLOW_INVALID_JSON'],
    ['an unknown request', '{"materialize":{"x":1}}\n', 'FLOW_UNKNOWN_REQUEST'],
    ['acknowledge before open', '{"acknowledge":{"checkpoints":1}}\n', 'FLOW_INVALID_REQUEST'],
    ['a request with a wrongly typed field', '{"validate":{"bindings":"all"}}\n', 'FLOW_INVALID_REQUEST'],
  ])('fails %s with a typed error as the last log line and exit 1', async (_label, input, code) => {
    const run = start(new TestConnector());
    run.stdin.end(input);
    expect(await run.exit).toBe(1);
    expect(run.lines).toEqual([]);
    const last = run.logs.at(-1) ?? '';
    expect(last.startsWith(`connector failed: [${code}]`)).toBe(true);
    const structured = JSON.parse(run.logs.at(-2) ?? '{}');
    expect(structured.level).toBe('error');
    expect(structured.fields.code).toBe(code);
  });

  it('names the offending line even when several arrive in one chunk', async () => {
    const run = start(new TestConnector());
    run.stdin.end('{"spec":{}}\n\n{"spec":{}}\nnot json\n');
    expect(await run.exit).toBe(1);
    expect(run.lines).toHaveLength(2);
    expect(run.logs.at(-1)).toMatch(/^connector failed: \[FLOW_INVALID_JSON\] stdin line 4: /);
  });

  it('refuses a line longer than maxLineBytes without buffering it whole', async () => {
    const run = start(new TestConnector(), { maxLineBytes: 1024 });
    run.stdin.write(`{"spec":{"config":{"blob":"${'x'.repeat(600)}`);
    run.stdin.write('x'.repeat(600));
    expect(await run.exit).toBe(1);
    expect(run.logs.at(-1)).toMatch(/^connector failed: \[FLOW_LINE_TOO_LONG\]/);
    run.stdin.end();
  });

  it('flushes documents only together with their checkpoint, never interleaving concurrent tasks', async () => {
    const run = start(
      new TestConnector((request) => ({
        tasks: request.capture.bindings.map((_binding, index) => ({
          name: `t${index}`,
          binding: index,
          run: async (task) => {
            for (let round = 0; round < 3; round += 1) {
              for (let doc = 0; doc < 4; doc += 1) {
                task.captured({ id: `${index}-${round}-${doc}` });
                await new Promise((resolve) => setImmediate(resolve));
              }
              await task.checkpointBinding({ round });
            }
          },
        })),
      })),
    );
    run.stdin.end(openLine(3));
    expect(await run.exit).toBe(0);
    const parsed = run.lines.map((line) => {
      validateCaptureResponseLine(line);
      return JSON.parse(line);
    });
    expect(parsed[0]).toEqual({ opened: {} });
    // Every transaction is 4 documents of one binding followed by that binding's checkpoint.
    const transactions = parsed.slice(1);
    expect(transactions).toHaveLength(3 * 3 * 5);
    for (let start = 0; start < transactions.length; start += 5) {
      const documents = transactions.slice(start, start + 4);
      const checkpoint = transactions[start + 4];
      const binding = documents[0].captured.binding;
      expect(
        documents.every((line: { captured?: { binding: number } }) => line.captured?.binding === binding),
      ).toBe(true);
      expect(checkpoint.checkpoint.state.mergePatch).toBe(true);
      expect(Object.keys(checkpoint.checkpoint.state.updated.bindingStateV1)).toEqual([`b${binding}`]);
    }
  });

  it('hands each task its binding state from bindingStateV1[stateKey]', async () => {
    const seen: unknown[] = [];
    const run = start(
      new TestConnector((request) => ({
        tasks: request.capture.bindings.map((_binding, index) => ({
          name: `t${index}`,
          binding: index,
          run: async (task) => {
            seen[index] = task.state;
          },
        })),
      })),
    );
    run.stdin.end(openLine(2, { bindingStateV1: { b1: { cursor: 9 } }, other: true }));
    expect(await run.exit).toBe(0);
    expect(seen).toEqual([undefined, { cursor: 9 }]);
  });

  it('resolves acknowledged checkpoints in order and refuses too many acknowledgements', async () => {
    const order: string[] = [];
    const run = start(
      new TestConnector(() => ({
        explicitAcknowledgements: true,
        tasks: [
          {
            name: 'acks',
            binding: 0,
            run: async (task) => {
              const first = task
                .checkpointBinding({ n: 1 }, { awaitAcknowledgement: true })
                .then(() => order.push('first'));
              const second = task
                .checkpointBinding({ n: 2 }, { awaitAcknowledgement: true })
                .then(() => order.push('second'));
              await Promise.all([first, second]);
              // Stay in the session until the bad acknowledgement below stops it.
              await new Promise((resolve) => task.signal.addEventListener('abort', resolve));
            },
          },
        ],
      })),
    );
    run.stdin.write(openLine(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    run.stdin.write('{"acknowledge":{"checkpoints":2}}\n');
    while (order.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual(['first', 'second']);
    run.stdin.write('{"acknowledge":{"checkpoints":1}}\n');
    expect(await run.exit).toBe(1);
    expect(run.logs.at(-1)).toMatch(/^connector failed: \[FLOW_ACKNOWLEDGEMENT\]/);
    expect(JSON.parse(run.lines[0] as string)).toEqual({ opened: { explicitAcknowledgements: true } });
  });

  it('fails the session when a task throws, naming the task, and stops the others', async () => {
    let otherStopped = false;
    const run = start(
      new TestConnector(() => ({
        tasks: [
          {
            name: 'broken',
            run: async () => {
              throw new RangeError('upstream went away');
            },
          },
          {
            name: 'patient',
            run: (task) =>
              new Promise<void>((resolve) => {
                task.signal.addEventListener('abort', () => {
                  otherStopped = true;
                  resolve();
                });
              }),
          },
        ],
      })),
    );
    run.stdin.end(openLine(1));
    expect(await run.exit).toBe(1);
    expect(otherStopped).toBe(true);
    expect(run.logs.at(-1)).toBe(
      "connector failed: [FLOW_TASK_FAILED] task 'broken': RangeError: upstream went away\n",
    );
  });

  it('refuses a task that returns with documents it never checkpointed', async () => {
    const run = start(
      new TestConnector(() => ({
        tasks: [{ name: 'sloppy', binding: 0, run: async (task) => void task.captured({ id: 1 }) }],
      })),
    );
    run.stdin.end(openLine(1));
    expect(await run.exit).toBe(1);
    expect(run.logs.at(-1)).toMatch(/^connector failed: \[FLOW_TASK_FAILED\] task 'sloppy'/);
    expect(run.lines.some((line) => line.includes('captured'))).toBe(false);
  });

  it('streams a large transaction early under the lock, still ending with its checkpoint', async () => {
    const run = start(
      new TestConnector(() => ({
        tasks: [
          {
            name: 'big',
            binding: 0,
            run: async (task) => {
              for (let index = 0; index < 100; index += 1)
                await task.captured({ id: index, pad: 'x'.repeat(100) });
              await task.checkpointBinding({ done: true });
            },
          },
        ],
      })),
      { maxBufferedBytesPerTask: 1000 },
    );
    run.stdin.end(openLine(1));
    expect(await run.exit).toBe(0);
    expect(run.lines).toHaveLength(102);
    expect(JSON.parse(run.lines[101] as string).checkpoint.state.updated).toEqual({
      bindingStateV1: { b0: { done: true } },
    });
  });

  it('honours the log level and never writes logs to stdout', async () => {
    const quiet = start(new TestConnector());
    quiet.stdin.end('{"spec":{}}\n');
    await quiet.exit;
    expect(quiet.logs).toEqual([]);
    const verbose = start(new TestConnector(), { level: 'debug' });
    verbose.stdin.end('{"spec":{}}\n');
    await verbose.exit;
    const entry = JSON.parse(verbose.logs[0] as string);
    expect(entry.level).toBe('debug');
    expect(typeof entry.ts).toBe('string');
    expect(verbose.lines).toHaveLength(1);
  });

  it('writes sourced schemas inside the transaction, before its checkpoint', async () => {
    const run = start(
      new TestConnector(() => ({
        tasks: [
          {
            name: 'schemas',
            binding: 0,
            run: async (task) => {
              task.sourcedSchema({ type: 'object', additionalProperties: false });
              task.captured({ id: 1 });
              await task.checkpointBinding({ done: true });
            },
          },
        ],
      })),
    );
    run.stdin.end(openLine(1));
    expect(await run.exit).toBe(0);
    expect(run.lines.map((line) => validateCaptureResponseLine(line))).toEqual([
      'opened',
      'sourcedSchema',
      'captured',
      'checkpoint',
    ]);
    expect(JSON.parse(run.lines[1] as string)).toEqual({
      sourcedSchema: { binding: 0, documentSchema: { type: 'object', additionalProperties: false } },
    });
  });
});
