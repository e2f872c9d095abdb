import { tableToIPC } from 'apache-arrow';
import { sampleTable } from '../__fixtures__/sample-tables.js';
import { ChunkerError } from '../errors/chunker-error.js';
import { decodeIpcStream } from './decode-ipc-stream.js';
import { walkIpcStream } from './ipc-stream-walker.js';

describe('walkIpcStream', () => {
  it('lists the record batch messages of a valid stream', () => {
    const table = sampleTable(10);
    const messages = walkIpcStream(tableToIPC(table), 'c', 1);
    expect(messages.schema.message.isSchema()).toBe(true);
    expect(messages.batches).toHaveLength(table.batches.length);
  });

  it('turns a huge count written anywhere in the metadata into a typed error or a table, quickly', () => {
    const bytes = tableToIPC(sampleTable(3));
    const metadataBytes = new DataView(bytes.buffer, bytes.byteOffset).getInt32(4, true);
    const outcomes = { table: 0, error: 0 };
    // A 2^20 written at every byte of the schema metadata: where it lands on a vector length, Arrow's
    // unchecked flatbuffer decoding would allocate until the process dies without the guard.
    for (let word = 8; word + 4 <= 8 + metadataBytes; word += 1) {
      const corrupt = bytes.slice();
      new DataView(corrupt.buffer).setUint32(word, 2 ** 20, true);
      try {
        decodeIpcStream(corrupt, 'fuzz', 1);
        outcomes.table += 1;
      } catch (error) {
        expect(ChunkerError.isInstance(error)).toBe(true);
        outcomes.error += 1;
      }
    }
    expect(outcomes.error).toBeGreaterThan(0);
  });
});
