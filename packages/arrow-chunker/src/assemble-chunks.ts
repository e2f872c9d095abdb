import type { Table } from 'apache-arrow';
import { type AssemblerOptions, ChunkAssembler } from './chunk-assembler.js';
import type { IpcChunk } from './ipc-chunk.js';

/**
 * Async form of {@link ChunkAssembler}: consumes `chunks` in order and yields one Table per completed
 * stream. Pulls the next chunk only when the consumer asks for the next Table.
 *
 * @throws ChunkerConfigError at once for bad options; while iterating, the assembler's typed errors,
 * and ChunkerUnterminatedStreamError when `chunks` ends mid-stream.
 */
export function assembleChunks(
  chunks: AsyncIterable<IpcChunk> | Iterable<IpcChunk>,
  options: AssemblerOptions = {},
): AsyncIterable<Table> {
  const assembler = new ChunkAssembler(options);
  return assembleWith(assembler, chunks);
}

async function* assembleWith(
  assembler: ChunkAssembler,
  chunks: AsyncIterable<IpcChunk> | Iterable<IpcChunk>,
): AsyncGenerator<Table, void, undefined> {
  for await (const chunk of chunks) {
    const table = assembler.push(chunk);
    if (table !== undefined) yield table;
  }
  assembler.close();
}
