import type { Table } from 'apache-arrow';
import { detachChunks, otherSchemaBatch, sampleTable, tableValues } from './__fixtures__/sample-tables.js';
import { assembleChunks } from './assemble-chunks.js';
import { encodeChunks, encodeChunksAsync } from './encode-chunks.js';
import { ChunkerConfigError } from './errors/chunker-config-error.js';
import { ChunkerUnterminatedStreamError } from './errors/chunker-unterminated-stream-error.js';
import type { IpcChunk } from './ipc-chunk.js';

async function collect(tables: AsyncIterable<Table>): Promise<Table[]> {
  const out: Table[] = [];
  for await (const table of tables) out.push(table);
  return out;
}

describe('assembleChunks', () => {
  it('yields one table per stream from an async chunk source', async () => {
    const batches = [sampleTable(6).batches[0]!, otherSchemaBatch(4), sampleTable(2, 50).batches[0]!];
    const tables = await collect(assembleChunks(encodeChunksAsync(batches, { maxChunkBytes: 33 })));
    expect(tables.map((table) => table.numRows)).toEqual([6, 4, 2]);
    expect(tableValues(tables[2]!)).toEqual(tableValues(sampleTable(2, 50)));
  });

  it('accepts a sync iterable of chunks', async () => {
    const tables = await collect(assembleChunks(detachChunks(encodeChunks(sampleTable(9)))));
    expect(tables[0]!.numRows).toBe(9);
  });

  it('throws ChunkerUnterminatedStreamError when input ends mid-stream', async () => {
    const chunks = [...encodeChunks(sampleTable(30), { maxChunkBytes: 50 })];
    async function* cutShort(): AsyncGenerator<IpcChunk> {
      yield* chunks.slice(0, 3);
    }
    await expect(collect(assembleChunks(cutShort(), { channel: 'short' }))).rejects.toBeInstanceOf(
      ChunkerUnterminatedStreamError,
    );
  });

  it('validates options before iterating', () => {
    expect(() => assembleChunks([], { maxStreamBytes: -5 })).toThrow(ChunkerConfigError);
  });
});
