import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode } from '../__fixtures__/child-process';

// A script that writes records and never awaits flush() or close().
const SCRIPT = `
const { PanoplyWriter, createJsonLinesFileSink } = require(process.env.DATASOURCE_PACKAGE_ENTRY);
const [filePath, mode, ending] = process.argv.slice(1);
const writer = new PanoplyWriter({ sink: createJsonLinesFileSink({ filePath }), flushOnExit: mode === 'flush' });
writer.write('events', { id: 1 });
writer.write('events', { id: 2 });
writer.write('events', { id: 3 });
if (ending === 'exit') process.exit(0);
`;

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'datasource-exit-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function lines(filePath: string): Promise<string[]> {
  const text = await readFile(filePath, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '');
}

describe('a writer the script never flushed', () => {
  it('is flushed when the process runs out of work, with a warning (flushOnExit default)', async () => {
    const filePath = join(directory, 'out.jsonl');
    const result = await startNode(['-e', SCRIPT, filePath, 'flush', 'natural']).finished;
    expect(result.code).toBe(0);
    expect(await lines(filePath)).toEqual([
      '{"id":1,"__table":"events"}',
      '{"id":2,"__table":"events"}',
      '{"id":3,"__table":"events"}',
    ]);
    expect(result.stderr).toContain('SDK_DATASOURCE_UNFLUSHED');
    expect(result.stderr).toContain('held 3 undelivered records');
    expect(result.stderr).toContain('flushing them now');
  }, 30_000);

  it('only warns, and drops the records, with flushOnExit: false', async () => {
    const filePath = join(directory, 'out.jsonl');
    const result = await startNode(['-e', SCRIPT, filePath, 'drop', 'natural']).finished;
    expect(result.code).toBe(0);
    expect(await lines(filePath)).toEqual([]);
    expect(result.stderr).toContain('SDK_DATASOURCE_UNFLUSHED');
    expect(result.stderr).toContain('they are dropped');
  }, 30_000);

  it('says how many records are lost when the script calls process.exit()', async () => {
    const filePath = join(directory, 'out.jsonl');
    const result = await startNode(['-e', SCRIPT, filePath, 'flush', 'exit']).finished;
    expect(result.code).toBe(0);
    expect(await lines(filePath)).toEqual([]);
    expect(result.stderr).toContain('exited with 3 records a PanoplyWriter had not delivered');
  }, 30_000);
});
