import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointMismatchError } from '../errors/checkpoint-mismatch-error';
import { ConfigError } from '../errors/config-error';
import { InvalidRecordError } from '../errors/invalid-record-error';
import { createJsonLinesFileSink } from './json-lines-file-sink';
import { encodeJsonRecord } from './json-record-encoding';
import { createPanoplyHttpSink } from './panoply-http-sink';
import { PanoplyWriter } from './panoply-writer';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'datasource-jsonl-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('createJsonLinesFileSink', () => {
  it('appends one JSON document per line, across batches and runs', async () => {
    const filePath = join(directory, 'out.jsonl');
    for (const run of [0, 1]) {
      const writer = new PanoplyWriter({ sink: createJsonLinesFileSink({ filePath }), maxBatchChars: 40 });
      for (let index = 0; index < 5; index++) await writer.write('events', { run, index, text: 'é\n' });
      const result = await writer.close();
      expect(result.sentBatchCount).toBeGreaterThan(1);
    }
    const lines = (await readFile(filePath, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed).toHaveLength(10);
    expect(parsed[7]).toEqual({ run: 1, index: 2, text: 'é\n', __table: 'events' });
  });

  it('does not create the file when nothing was written', async () => {
    const filePath = join(directory, 'empty.jsonl');
    const writer = new PanoplyWriter({ sink: createJsonLinesFileSink({ filePath }) });
    await writer.close();
    await expect(readFile(filePath)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('createJsonLinesFileSink repair', () => {
  it('cuts an unfinished last line before appending', async () => {
    const filePath = join(directory, 'torn.jsonl');
    await writeFile(filePath, '{"a":1}\n{"a":2}\n{"a":');
    const writer = new PanoplyWriter({ sink: createJsonLinesFileSink({ filePath }) });
    await writer.write('t', { a: 3 });
    await writer.close();
    expect(await readFile(filePath, 'utf8')).toBe('{"a":1}\n{"a":2}\n{"a":3,"__table":"t"}\n');
  });
});

describe('createJsonLinesFileSink checkpoints', () => {
  const batch = (sequence: number, ...lines: string[]) => ({
    sequence,
    records: lines.map(() => ({})),
    body: lines.map((line) => `${line}\n`).join(''),
  });

  it('reports the committed length and cuts a killed run’s tail when restored', async () => {
    const filePath = join(directory, 'out.jsonl');
    const first = createJsonLinesFileSink({ filePath });
    await first.restoreCheckpoint?.(undefined);
    await first.sendBatch(batch(1, '{"a":1}', '{"a":2}'));
    const checkpoint = await first.checkpoint?.();
    expect(checkpoint).toEqual({ type: 'json-lines', filePath, bytes: 16 });
    await first.sendBatch(batch(2, '{"a":3}')); // written, but its state was never saved
    await first.close();
    await writeFile(filePath, '{"a":', { flag: 'a' }); // and a torn line after it

    const second = createJsonLinesFileSink({ filePath });
    const note = await second.restoreCheckpoint?.(checkpoint);
    expect(note).toMatch(/^cut 13 bytes/);
    expect(await readFile(filePath, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    await second.sendBatch(batch(2, '{"a":3}'));
    expect(await second.checkpoint?.()).toMatchObject({ bytes: 24 });
    await second.close();
    expect(await readFile(filePath, 'utf8')).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
  });

  it('refuses to resume on a shorter file, another file, or another sink’s checkpoint', async () => {
    const filePath = join(directory, 'out.jsonl');
    await writeFile(filePath, '{"a":1}\n');
    const codes: string[] = [];
    for (const checkpoint of [
      { type: 'json-lines', filePath, bytes: 100 },
      { type: 'json-lines', filePath: join(directory, 'other.jsonl'), bytes: 0 },
      { type: 'queue', offset: 3 },
    ]) {
      const sink = createJsonLinesFileSink({ filePath });
      await sink.restoreCheckpoint?.(checkpoint).catch((error: unknown) => {
        expect(CheckpointMismatchError.isInstance(error)).toBe(true);
        codes.push((error as CheckpointMismatchError).code);
      });
    }
    expect(codes).toEqual(Array(3).fill('DATASOURCE_CHECKPOINT_MISMATCH'));
    expect(await readFile(filePath, 'utf8')).toBe('{"a":1}\n');
  });

  it('writes batches one after the other even when sent concurrently', async () => {
    const filePath = join(directory, 'out.jsonl');
    const sink = createJsonLinesFileSink({ filePath, syncEachBatch: false });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => sink.sendBatch(batch(index + 1, `{"i":${index}}`))),
    );
    await sink.close();
    const lines = (await readFile(filePath, 'utf8')).trim().split('\n');
    expect(lines).toEqual(Array.from({ length: 20 }, (_, index) => `{"i":${index}}`));
  });
});

describe('one encoding for every sink', () => {
  const record = {
    nan: Number.NaN,
    inf: Number.POSITIVE_INFINITY,
    ninf: Number.NEGATIVE_INFINITY,
    zero: -0,
    big: 12345678901234567890n,
    small: 3,
    float: 0.1,
    tiny: 1e-7,
  };

  it('writes the same value tokens in the JSON-lines file and the HTTP body', () => {
    const line = createJsonLinesFileSink({ filePath: join(directory, 'x.jsonl') }).encodeRecord(record);
    const http = createPanoplyHttpSink({
      apiKey: 'a/b',
      apiSecret: 'eA==',
      endpointUrl: 'http://127.0.0.1:9/',
    });
    const body = decodeURIComponent(http.encodeRecord(record).trimEnd());
    const tokens = (text: string) => text.replace(/[{}\s]/g, '').split(',');
    expect(line).toBe(
      '{"nan":NaN,"inf":Infinity,"ninf":-Infinity,"zero":-0.0,"big":12345678901234567890,"small":3,"float":0.1,"tiny":1e-07}\n',
    );
    expect(tokens(body)).toEqual(tokens(line));
    expect(encodeJsonRecord(record)).toBe(line.trimEnd());
  });

  it("refuses non-finite numbers in both sinks with nonFiniteNumbers: 'error'", async () => {
    const filePath = join(directory, 'strict.jsonl');
    const sinks = [
      createJsonLinesFileSink({ filePath, nonFiniteNumbers: 'error' }),
      createPanoplyHttpSink({
        apiKey: 'a/b',
        apiSecret: 'eA==',
        endpointUrl: 'http://127.0.0.1:9/',
        nonFiniteNumbers: 'error',
      }),
    ];
    for (const sink of sinks) {
      const writer = new PanoplyWriter({ sink });
      const error = await writer.write('t', { price: [1, Number.NaN] }).catch((caught: unknown) => caught);
      expect(InvalidRecordError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('at .price[1]');
      expect(writer.bufferedChars).toBe(0);
      await writer.close();
    }
    expect(() => encodeJsonRecord({ x: Number.POSITIVE_INFINITY }, { nonFiniteNumbers: 'error' })).toThrow(
      InvalidRecordError,
    );
    expect(() => createJsonLinesFileSink({ filePath, nonFiniteNumbers: 'null' as 'error' })).toThrow(
      ConfigError,
    );
  });
});
