import {
  Dictionary,
  Field,
  Int32,
  makeVector,
  type RecordBatch,
  Schema,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import type { IpcChunk } from '../ipc-chunk.js';

/** A small table with ints, floats and strings (with nulls). */
export function sampleTable(rowCount: number, offset = 0): Table {
  return new Table({
    id: makeVector(Int32Array.from({ length: rowCount }, (_, index) => index + offset)),
    score: makeVector(Float64Array.from({ length: rowCount }, (_, index) => (index + offset) / 3)),
    name: vectorFromArray(
      Array.from({ length: rowCount }, (_, index) =>
        (index + offset) % 4 === 0 ? null : `name-${index + offset}`,
      ),
      new Utf8(),
    ),
  });
}

// One shared type, so that batches built from it share a dictionary id (and a schema).
const sharedDictionaryType = new Dictionary(new Utf8(), new Int32());

/** A one-column batch of dictionary-encoded strings; each call has its own dictionary. */
export function dictionaryBatch(values: string[]): RecordBatch {
  const vector = vectorFromArray(values, sharedDictionaryType);
  const table = new Table({ tag: vector });
  return table.batches[0]!;
}

/** Schema with one nullable Int32 field, for schema-only streams. */
export function singleFieldSchema(): Schema {
  return new Schema([new Field('x', new Int32(), true)]);
}

/** Other schema, to force a schema change. */
export function otherSchemaBatch(rowCount: number): RecordBatch {
  return new Table({ other: makeVector(Float64Array.from({ length: rowCount }, (_, i) => i * 1.5)) })
    .batches[0]!;
}

/** Copies every chunk into its own buffer, as a network receiver would. */
export function detachChunks(chunks: Iterable<IpcChunk>): IpcChunk[] {
  return [...chunks].map((chunk) => ({ data: chunk.data.slice(), endOfChunk: chunk.endOfChunk }));
}

/** Places `bytes` at an odd offset inside a larger buffer, as protobuf decoders do. */
export function atOddOffset(bytes: Uint8Array, offset = 3): Uint8Array {
  const backing = new Uint8Array(bytes.byteLength + offset + 5);
  backing.set(bytes, offset);
  return backing.subarray(offset, offset + bytes.byteLength);
}

/** Plain values of every column, for comparing tables. */
export function tableValues(table: Table): Record<string, unknown[]> {
  const result: Record<string, unknown[]> = {};
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name)!;
    result[field.name] = Array.from({ length: table.numRows }, (_, index) => column.get(index));
  }
  return result;
}
