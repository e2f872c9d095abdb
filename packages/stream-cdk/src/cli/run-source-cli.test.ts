import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { SampleSource } from '../__fixtures__/sample-source';
import type { AirbyteMessage } from '../protocol/airbyte-protocol';
import { assertValidMessages } from '../testing/protocol-validation';
import { runSourceCli } from './run-source-cli';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stream-cdk-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function run(argv: string[]): Promise<{ code: number; messages: AirbyteMessage[]; stderr: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  let stderr = '';
  const stderrStream = new Writable({
    write(chunk, _encoding, callback) {
      stderr += String(chunk);
      callback();
    },
  });
  const code = await runSourceCli(new SampleSource(), { argv, stdout, stderr: stderrStream });
  const text = Buffer.concat(chunks).toString('utf8');
  const messages = text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as AirbyteMessage);
  assertValidMessages(messages);
  return { code, messages, stderr };
}

const catalog = {
  streams: [
    {
      stream: { name: 'items', json_schema: {}, supported_sync_modes: ['full_refresh'] },
      sync_mode: 'full_refresh',
      destination_sync_mode: 'overwrite',
    },
  ],
};

describe('runSourceCli', () => {
  it('check: invalid config lists every problem in a FAILED status and exit 0', async () => {
    const config = file('config.json', { page_count: 0, extra: true });
    const { code, messages } = await run(['check', '--config', config]);
    expect(code).toBe(0);
    expect(messages).toHaveLength(1);
    const status = messages[0]!.type === 'CONNECTION_STATUS' ? messages[0]!.connectionStatus : undefined;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toContain('/api_key is required');
    expect(status?.message).toContain('/extra is not allowed');
    expect(status?.message).toContain('/page_count must be >= 1');
  });

  it('check: a refused key is FAILED with the key masked', async () => {
    const config = file('config.json', { api_key: 'bad-secret-42', page_count: 1 });
    const { messages } = await run(['check', '--config', config]);
    expect(JSON.stringify(messages)).not.toContain('bad-secret-42');
    expect(messages[0]).toEqual({
      type: 'CONNECTION_STATUS',
      connectionStatus: { status: 'FAILED', message: 'key **** was refused' },
    });
  });

  it('discover: emits the catalog with is_resumable', async () => {
    const config = file('config.json', { api_key: 'k', page_count: 1 });
    const { code, messages } = await run(['discover', '--config', config]);
    expect(code).toBe(0);
    const streams = messages[0]?.type === 'CATALOG' ? messages[0].catalog.streams : [];
    expect(streams.map((s) => [s.name, s.is_resumable, s.supported_sync_modes])).toEqual([
      ['items', true, ['full_refresh']],
      ['events', true, ['full_refresh', 'incremental']],
    ]);
  });

  it('discover with an invalid config: a config_error trace and exit 1', async () => {
    const config = file('config.json', { api_key: 7 });
    const { code, messages } = await run(['discover', '--config', config]);
    expect(code).toBe(1);
    const trace =
      messages[0]?.type === 'TRACE' && messages[0].trace.type === 'ERROR'
        ? messages[0].trace.error
        : undefined;
    expect(trace?.failure_type).toBe('config_error');
    expect(trace?.message).toContain('CDK_CONFIG_INVALID');
  });

  it('a bad command line: one line naming the option on stderr, a trace on stdout, exit 2', async () => {
    const { code, messages, stderr } = await run(['read', '--config']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^\S+: \[CDK_CLI_USAGE\] option '--config' needs a value; see '\S+ --help'\n$/);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.type).toBe('TRACE');
  });

  it.each([
    [['read', '--config', 'c.json', '--nope'], "unknown option '--nope'"],
    [['check', '--config', '--debug'], "option '--config' needs a value"],
    [['spec', '--debug=yes'], "option '--debug' takes no value"],
  ])('%j: exit 2 with %s on one stderr line', async (argv, problem) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(problem);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--help prints the usage and --version the version on stdout, exit 0, and nothing else', async () => {
    for (const argv of [['--help'], ['-h'], ['--version']]) {
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      let err = '';
      const stderr = new Writable({
        write(chunk, _encoding, callback) {
          err += String(chunk);
          callback();
        },
      });
      const code = await runSourceCli(new SampleSource(), {
        argv,
        stdout,
        stderr,
        version: '1.2.3',
        program: 'sample',
      });
      expect(code).toBe(0);
      expect(err).toBe('');
      if (argv[0] === '--version') expect(out).toBe('1.2.3\n');
      else
        expect(out).toContain('sample read --config FILE --catalog FILE [--state FILE] [--debug] [--quiet]');
    }
  });

  it('read: a summary line on a stderr that is not a terminal, nothing with --quiet; stdout the same', async () => {
    const config = file('config.json', { api_key: 'k', page_count: 2, page_size: 3 });
    const argv = ['read', '--config', config, '--catalog', file('catalog.json', catalog)];
    const plain = await run(argv);
    const quiet = await run([...argv, '--quiet']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(
      /read done {2}6 records, [\d.]+ (B|KiB), [\d,]+ records\/s, 0:\d\d elapsed\n$/,
    );
    expect(quiet.stderr).toBe('');
    const data = (messages: AirbyteMessage[]) =>
      messages.flatMap((m) => (m.type === 'RECORD' ? [m.record.data] : []));
    expect(data(quiet.messages)).toEqual(data(plain.messages));
  });

  it('a config file that is not JSON is a config error', async () => {
    const { code, messages } = await run(['check', '--config', file('config.json', '{nope')]);
    expect(code).toBe(2);
    expect(
      messages[0]?.type === 'TRACE' &&
        messages[0].trace.type === 'ERROR' &&
        messages[0].trace.error.failure_type,
    ).toBe('config_error');
  });

  it.each(['check', 'discover', 'read'])(
    '%s: a config that is not JSON yields a trace with the line and column and no text of the file',
    async (command) => {
      const broken = '{\n  "page_count": 1,\n  "api_key": hunter22,\n  "note": "visible-elsewhere"\n}';
      const argv = [command, '--config', file('config.json', broken)];
      if (command === 'read') argv.push('--catalog', file('catalog.json', catalog));
      const { code, messages, stderr } = await run(argv);
      expect(code).toBe(2);
      const everything = JSON.stringify(messages) + stderr;
      for (const piece of ['hunter22', 'api_key', 'page_count', 'visible-elsewhere', 'hunter'])
        expect(everything).not.toContain(piece);
      const trace =
        messages[0]?.type === 'TRACE' && messages[0].trace.type === 'ERROR' ? messages[0].trace : undefined;
      expect(trace?.error.message).toContain('expected a value at line 3 column 14');
      expect(trace?.error.internal_message).toContain('line 3 column 14');
      expect(trace?.error.failure_type).toBe('config_error');
    },
  );

  it.each(['catalog', 'state'])('read: a %s file that is not JSON quotes none of it', async (which) => {
    const config = file('config.json', { api_key: 'k-12345', page_count: 1 });
    const broken = file(`${which}.json`, '[{"stream": {"name": s3cr3t-ish}}]');
    const argv = [
      'read',
      '--config',
      config,
      '--catalog',
      which === 'catalog' ? broken : file('catalog.json', catalog),
    ];
    if (which === 'state') argv.push('--state', broken);
    const { code, messages } = await run(argv);
    expect(code).toBe(2);
    const text = JSON.stringify(messages);
    expect(text).not.toContain('s3cr3t');
    expect(text).toContain(`${which} file`);
    expect(text).toContain('line 1 column 22');
  });

  it('read: a failing stream masks the secret everywhere and exits 1', async () => {
    const config = file('config.json', { api_key: 'sekrit-value', page_count: 3, fail_on_page: 2 });
    const { code, messages } = await run([
      'read',
      '--config',
      config,
      '--catalog',
      file('catalog.json', catalog),
    ]);
    expect(code).toBe(1);
    const text = JSON.stringify(messages);
    expect(text).not.toContain('sekrit-value');
    expect(text).toContain('reading page 1 with key ****');
    const errors = messages.flatMap((m) =>
      m.type === 'TRACE' && m.trace.type === 'ERROR' ? [m.trace.error] : [],
    );
    expect(errors.map((error) => error.failure_type)).toEqual(['system_error', 'config_error']);
  });

  it('waits for drain on a slow stdout instead of buffering everything', async () => {
    const config = file('config.json', { api_key: 'k', page_count: 200, page_size: 100 });
    let written = 0;
    let maxPending = 0;
    const stdout = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk, _encoding, callback) {
        written += chunk.length;
        maxPending = Math.max(maxPending, stdout.writableLength);
        setImmediate(callback);
      },
    });
    const code = await runSourceCli(new SampleSource(), {
      argv: ['read', '--config', config, '--catalog', file('catalog.json', catalog)],
      stdout,
    });
    expect(code).toBe(0);
    expect(written).toBeGreaterThan(1_000_000);
    // Never more than one batch beyond the high-water mark is waiting in memory.
    expect(maxPending).toBeLessThan(16 * 1024 + 70 * 1024);
  });

  it('stops reading and exits 1 when stdout breaks (reader went away)', async () => {
    const config = file('config.json', { api_key: 'k', page_count: 500, page_size: 100 });
    let writes = 0;
    const stdout = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, callback) {
        writes++;
        callback(writes > 2 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : null);
      },
    });
    const code = await runSourceCli(new SampleSource(), {
      argv: ['read', '--config', config, '--catalog', file('catalog.json', catalog)],
      stdout,
    });
    expect(code).toBe(1);
    expect(writes).toBeLessThan(10);
  });
});

describe('state between runs: state-from-messages', () => {
  const twoStreams = {
    streams: [
      catalog.streams[0],
      {
        stream: { name: 'events', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
        sync_mode: 'incremental',
        destination_sync_mode: 'append',
      },
    ],
  };

  async function rawRun(
    argv: string[],
    stdin?: string,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    let err = '';
    const stderr = new Writable({
      write(chunk, _encoding, callback) {
        err += String(chunk);
        callback();
      },
    });
    const input = new PassThrough();
    input.end(stdin ?? '');
    const code = await runSourceCli(new SampleSource(), { argv, stdout, stderr, stdin: input });
    return { code, stdout: out, stderr: err };
  }

  it('builds the next --state from a read on stdin: the latest STATE per stream, over the previous state', async () => {
    const config = file('config.json', { api_key: 'k-12345', page_count: 3 });
    const read = await rawRun(['read', '--config', config, '--catalog', file('catalog.json', twoStreams)]);
    expect(read.code).toBe(0);
    // The last STATE line covers one stream only: that is why it is not the next --state.
    const stateLines = read.stdout.split('\n').filter((line) => line.includes('"STATE"'));
    expect(stateLines.length).toBeGreaterThan(2);

    const previous = file('previous.json', [
      { type: 'STREAM', stream: { stream_descriptor: { name: 'other' }, stream_state: { keep: 1 } } },
      { type: 'STREAM', stream: { stream_descriptor: { name: 'events' }, stream_state: { id: 0 } } },
    ]);
    const built = await rawRun(['state-from-messages', '--state', previous], `not json\n${read.stdout}`);
    expect(built.code).toBe(0);
    expect(built.stderr).toBe('');
    // A new sync: the finished full refresh stream (items) starts over, the incremental one goes on.
    expect(JSON.parse(built.stdout)).toEqual([
      { type: 'STREAM', stream: { stream_descriptor: { name: 'other' }, stream_state: { keep: 1 } } },
      { type: 'STREAM', stream: { stream_descriptor: { name: 'events' }, stream_state: { id: 5 } } },
    ]);
    // A retry of the same job keeps the completion state, so items is not read again.
    const retry = await rawRun(['state-from-messages', '--state', previous, '--retry'], read.stdout);
    expect(JSON.parse(retry.stdout)).toContainEqual({
      type: 'STREAM',
      stream: {
        stream_descriptor: { name: 'items' },
        stream_state: { __ab_full_refresh_sync_complete: true },
      },
    });

    // The built file is what --state takes: the next read reads no event again, and every item.
    const next = await run([
      'read',
      '--config',
      config,
      '--catalog',
      file('catalog2.json', twoStreams),
      '--state',
      file('state.json', built.stdout),
    ]);
    expect(next.code).toBe(0);
    const records = next.messages.flatMap((m) => (m.type === 'RECORD' ? [m.record.stream] : []));
    expect(new Set(records)).toEqual(new Set(['items']));
    expect(records).toHaveLength(6);
  });

  it('with --catalog, drops the state of every full refresh stream, finished or not', async () => {
    const config = file('config.json', { api_key: 'k-12345', page_count: 3, fail_on_page: 2 });
    const read = await rawRun(['read', '--config', config, '--catalog', file('catalog.json', twoStreams)]);
    expect(read.code).toBe(1);
    const resume = await rawRun(['state-from-messages'], read.stdout);
    const fresh = await rawRun(
      ['state-from-messages', '--catalog', file('catalog.json', twoStreams)],
      read.stdout,
    );
    const names = (text: string) =>
      (JSON.parse(text) as { stream: { stream_descriptor: { name: string } } }[]).map(
        (entry) => entry.stream.stream_descriptor.name,
      );
    expect(names(resume.stdout)).toEqual(['items', 'events']); // items resumes at its page 2
    expect(names(fresh.stdout)).toEqual(['events']);
  });

  it('reads the messages from --messages and gives the same state as from stdin', async () => {
    const config = file('config.json', { api_key: 'k-12345', page_count: 2 });
    const read = await rawRun(['read', '--config', config, '--catalog', file('catalog.json', catalog)]);
    const fromFile = await rawRun(['state-from-messages', '--messages', file('out.jsonl', read.stdout)]);
    const fromStdin = await rawRun(['state-from-messages'], read.stdout);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toBe(fromStdin.stdout);
    expect(JSON.parse(fromFile.stdout)).toEqual([]); // the one stream finished: it starts over next time
  });

  it('a malformed STATE message: exit 1, the line number on stderr, nothing on stdout', async () => {
    const lines =
      '{"type":"LOG","log":{"level":"INFO","message":"x"}}\n{"type":"STATE","state":{"type":"STREAM","stream":{}}}\n';
    const result = await rawRun(['state-from-messages'], lines);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('[CDK_STATE_INVALID] the STATE message on line 2 is malformed');
  });

  it('a missing messages file is a usage error (exit 2)', async () => {
    const result = await rawRun(['state-from-messages', '--messages', join(dir, 'missing.jsonl')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('[CDK_CLI_USAGE] cannot read messages file');
  });

  it('read: a single STATE message as --state is a config error that says what --state takes', async () => {
    const config = file('config.json', { api_key: 'k-12345', page_count: 2 });
    const lastState = {
      type: 'STATE',
      state: { type: 'STREAM', stream: { stream_descriptor: { name: 'items' }, stream_state: { page: 2 } } },
    };
    const { code, messages } = await run([
      'read',
      '--config',
      config,
      '--catalog',
      file('catalog.json', catalog),
      '--state',
      file('state.json', lastState),
    ]);
    expect(code).toBe(1);
    const error = messages.find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR');
    const text = error?.type === 'TRACE' && error.trace.type === 'ERROR' ? error.trace.error : undefined;
    expect(text?.failure_type).toBe('config_error');
    expect(text?.message).toContain('[CDK_STATE_INVALID] state is a single STATE object');
    expect(text?.message).toContain('state-from-messages');
  });
});
