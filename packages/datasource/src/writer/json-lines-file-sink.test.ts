import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonLinesFileSink } from './json-lines-file-sink';
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
