import {
  DenseUnion,
  Dictionary,
  Field,
  Int8,
  Int32,
  List,
  Message,
  makeData,
  makeVector,
  Schema,
  Struct,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import {
  BufferRegion,
  DictionaryBatch as DictionaryBatchHeader,
  FieldNode,
  RecordBatch as RecordBatchHeader,
} from 'apache-arrow/ipc/metadata/message';
import {
  type FramedMessage,
  joinMessages,
  messageOffsets,
  splitMessages,
} from './__fixtures__/ipc-messages.js';
import { sampleTable, tableValues } from './__fixtures__/sample-tables.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { chunkIpcStream } from './chunk-ipc-stream.js';
import { ChunkerConfigError } from './errors/chunker-config-error.js';
import { ChunkerError } from './errors/chunker-error.js';
import { ChunkerInvalidIpcError } from './errors/chunker-invalid-ipc-error.js';
import { DEFAULT_MAX_NESTING_DEPTH } from './ipc-chunk.js';

function decode(bytes: Uint8Array, maxNestingDepth?: number): Table {
  const table = new ChunkAssembler({ channel: 'test', maxNestingDepth }).push({
    data: bytes,
    endOfChunk: true,
  });
  if (table === undefined) throw new Error('expected a table');
  return table;
}

function decodeError(bytes: Uint8Array, maxNestingDepth?: number): ChunkerInvalidIpcError {
  try {
    decode(bytes, maxNestingDepth);
  } catch (error) {
    expect(ChunkerInvalidIpcError.isInstance(error)).toBe(true);
    return error as ChunkerInvalidIpcError;
  }
  throw new Error('expected CHUNKER_INVALID_IPC');
}

function recordHeader(message: Message): RecordBatchHeader {
  return message.header() as RecordBatchHeader;
}

/** The message with its record batch header rebuilt by `change` (body unchanged). */
function withHeader(
  framed: FramedMessage,
  change: (header: RecordBatchHeader) => RecordBatchHeader,
): readonly [Message, Uint8Array] {
  const header = change(recordHeader(framed.message));
  return [Message.from(header, framed.body.byteLength), framed.body];
}

function rebuild(
  header: RecordBatchHeader,
  parts: { length?: number; nodes?: FieldNode[]; buffers?: BufferRegion[] },
): RecordBatchHeader {
  return new RecordBatchHeader(
    parts.length ?? header.length,
    parts.nodes ?? header.nodes,
    parts.buffers ?? header.buffers,
    null,
  );
}

/** A stream of one dictionary-encoded column `tag` with 8 rows: schema, dictionary batch, record batch. */
function dictionaryStream(): { messages: FramedMessage[]; bytes: Uint8Array } {
  const tags = vectorFromArray(
    ['a', 'b', 'a', 'c', 'b', 'a', 'c', 'a'],
    new Dictionary(new Utf8(), new Int32()),
  );
  const bytes = tableToIPC(new Table({ tag: tags }));
  return { messages: splitMessages(bytes), bytes };
}

describe('structural checks of received streams (CHUNKER_INVALID_IPC, with the byte offset)', () => {
  it('decodes the valid fixtures these cases start from', () => {
    const { bytes } = dictionaryStream();
    expect(tableValues(decode(bytes)).tag).toEqual(['a', 'b', 'a', 'c', 'b', 'a', 'c', 'a']);
  });

  it('refuses a record batch whose dictionary batch never came', () => {
    const { messages } = dictionaryStream();
    expect(messages.map((framed) => framed.message.headerType)).toEqual([1, 2, 3]);
    const withoutDictionary = [messages[0]!, messages[2]!];
    const error = decodeError(joinMessages(withoutDictionary));
    expect(error.message).toMatch(/dictionary id \d+, but no dictionary batch with that id came before/);
    expect(error.byteOffset).toBe(messageOffsets(withoutDictionary)[1]);
  });

  it('refuses a dictionary batch that only comes after the record batch using it', () => {
    const { messages } = dictionaryStream();
    const reordered = [messages[0]!, messages[2]!, messages[1]!];
    expect(decodeError(joinMessages(reordered)).byteOffset).toBe(messageOffsets(reordered)[1]);
  });

  it('refuses a delta dictionary batch with no dictionary before it', () => {
    const { messages } = dictionaryStream();
    const dictionary = messages[1]!.message.header() as DictionaryBatchHeader;
    const delta = new DictionaryBatchHeader(dictionary.data, dictionary.id, true);
    const stream = [
      messages[0]!,
      [Message.from(delta, messages[1]!.body.byteLength), messages[1]!.body] as const,
      messages[2]!,
    ];
    const error = decodeError(joinMessages(stream));
    expect(error.message).toMatch(/delta dictionary batch for id \d+ comes before any dictionary/);
    expect(error.byteOffset).toBe(messageOffsets(stream)[1]);
  });

  it.each([
    ['2^31-1', 2 ** 31 - 1],
    ['the dictionary length', 3],
    ['-1', -1],
  ])('refuses a dictionary index of %s', (_label, index) => {
    const { messages } = dictionaryStream();
    const batch = messages[2]!;
    const indices = recordHeader(batch.message).buffers[1]!;
    const body = batch.body.slice();
    new DataView(body.buffer).setInt32(indices.offset + 4 * 5, index, true);
    const stream = [messages[0]!, messages[1]!, [batch.message, body] as const];
    const error = decodeError(joinMessages(stream));
    expect(error.message).toMatch(
      new RegExp(`dictionary index ${index} at value 5 is outside the dictionary of 3`),
    );
    expect(error.byteOffset).toBe(messageOffsets(stream)[2]);
  });

  it('accepts any index in a null slot of a dictionary column', () => {
    const tags = vectorFromArray(['a', null, 'b'], new Dictionary(new Utf8(), new Int32()));
    const messages = splitMessages(tableToIPC(new Table({ tag: tags })));
    const batch = messages[2]!;
    const body = batch.body.slice();
    new DataView(body.buffer).setInt32(recordHeader(batch.message).buffers[1]!.offset + 4, 2 ** 31 - 1, true);
    expect(
      tableValues(decode(joinMessages([messages[0]!, messages[1]!, [batch.message, body] as const]))).tag,
    ).toEqual(['a', null, 'b']);
  });

  it('refuses a batch length and field node lengths of -1 (Arrow would clamp them to an empty batch)', () => {
    const messages = splitMessages(tableToIPC(sampleTable(8)));
    const stream = [
      messages[0]!,
      withHeader(messages[1]!, (header) =>
        rebuild(header, { length: -1, nodes: header.nodes.map((node) => new FieldNode(-1, node.nullCount)) }),
      ),
    ];
    const error = decodeError(joinMessages(stream));
    expect(error.message).toMatch(/invalid row count -1/);
    expect(error.byteOffset).toBe(messageOffsets(stream)[1]);
    const nodesOnly = [
      messages[0]!,
      withHeader(messages[1]!, (header) =>
        rebuild(header, {
          nodes: header.nodes.map((node, index) => (index === 1 ? new FieldNode(-1, 0) : node)),
        }),
      ),
    ];
    expect(decodeError(joinMessages(nodesOnly)).message).toMatch(
      /column 'score' declares an invalid length -1/,
    );
  });

  it.each([
    ['larger than the length', 2147483648, /declares 2147483648 nulls in 8 values/],
    ['negative', -1, /invalid null count -1/],
    ['different from the validity bitmap', 1, /declares 1 nulls but its validity bitmap holds 2/],
  ])('refuses a null count %s', (_label, nullCount, expected) => {
    // Column `name` of sampleTable(8) holds 2 nulls (rows 0 and 4).
    const messages = splitMessages(tableToIPC(sampleTable(8)));
    const stream = [
      messages[0]!,
      withHeader(messages[1]!, (header) =>
        rebuild(header, {
          nodes: header.nodes.map((node, index) =>
            index === 2 ? new FieldNode(node.length, nullCount) : node,
          ),
        }),
      ),
    ];
    const error = decodeError(joinMessages(stream));
    expect(error.message).toMatch(expected);
    expect(error.byteOffset).toBe(messageOffsets(stream)[1]);
  });

  it('refuses a null count without a validity bitmap', () => {
    const messages = splitMessages(tableToIPC(sampleTable(8)));
    const stream = [
      messages[0]!,
      withHeader(messages[1]!, (header) =>
        rebuild(header, {
          nodes: header.nodes.map((node, index) => (index === 0 ? new FieldNode(node.length, 1) : node)),
        }),
      ),
    ];
    expect(decodeError(joinMessages(stream)).message).toMatch(
      /column 'id' declares 1 nulls but has no validity bitmap/,
    );
  });

  it('refuses a top-level column whose length differs from the batch length', () => {
    const messages = splitMessages(tableToIPC(sampleTable(8)));
    const stream = [messages[0]!, withHeader(messages[1]!, (header) => rebuild(header, { length: 7 }))];
    expect(decodeError(joinMessages(stream)).message).toMatch(
      /column 'id' has 8 values but the batch has 7 rows/,
    );
  });

  it('refuses a struct child shorter than its struct, and fewer field nodes than the schema needs', () => {
    const type = new Struct([new Field('a', new Int32())]);
    const child = makeData({ type: new Int32(), length: 4, data: Int32Array.of(1, 2, 3, 4) });
    const struct = makeData({ type, length: 4, children: [child] });
    const messages = splitMessages(tableToIPC(new Table({ s: makeVector(struct) })));
    const shortChild = [
      messages[0]!,
      withHeader(messages[1]!, (header) =>
        rebuild(header, { nodes: [header.nodes[0]!, new FieldNode(3, 0)] }),
      ),
    ];
    expect(decodeError(joinMessages(shortChild)).message).toMatch(
      /column 's.a' has 3 values, fewer than the 4/,
    );
    const missingNode = [
      messages[0]!,
      withHeader(messages[1]!, (header) => rebuild(header, { nodes: [header.nodes[0]!] })),
    ];
    expect(decodeError(joinMessages(missingNode)).message).toMatch(/fewer than the schema needs/);
  });

  it('refuses offsets that leave their buffer, and buffers too short for the length', () => {
    const messages = splitMessages(tableToIPC(sampleTable(8)));
    const batch = messages[1]!;
    const header = recordHeader(batch.message);
    // Buffers: id validity, id values, score validity, score values, name validity, name offsets, name data.
    const body = batch.body.slice();
    new DataView(body.buffer).setInt32(header.buffers[5]!.offset + 4 * 8, 1 << 20, true);
    expect(decodeError(joinMessages([messages[0]!, [batch.message, body] as const])).message).toMatch(
      /column 'name': offsets point past the \d+ value bytes/,
    );
    const shortValues = withHeader(batch, (original) =>
      rebuild(original, {
        buffers: original.buffers.map((region, index) =>
          index === 3 ? new BufferRegion(region.offset, 8) : region,
        ),
      }),
    );
    expect(decodeError(joinMessages([messages[0]!, shortValues])).message).toMatch(
      /column 'score': too few bytes for 8 values/,
    );
  });

  it('refuses a union type id that names no child, and a dense union offset outside its child', () => {
    const type = new DenseUnion([0, 1], [new Field('i', new Int32()), new Field('s', new Utf8())]);
    const union = makeData({
      type,
      length: 3,
      typeIds: Int8Array.of(0, 1, 0),
      valueOffsets: Int32Array.of(0, 0, 1),
      children: [
        makeData({ type: new Int32(), length: 2, data: Int32Array.of(5, 6) }),
        makeData({
          type: new Utf8(),
          length: 1,
          valueOffsets: Int32Array.of(0, 1),
          data: Uint8Array.of(120),
        }),
      ],
    });
    const bytes = tableToIPC(new Table({ u: makeVector(union) }));
    expect(decode(bytes).getChild('u')!.toArray()).toEqual([5, 'x', 6]);
    const messages = splitMessages(bytes);
    const batch = messages[1]!;
    const regions = recordHeader(batch.message).buffers;
    const badTypeId = batch.body.slice();
    badTypeId[regions[0]!.offset + 1] = 7;
    expect(decodeError(joinMessages([messages[0]!, [batch.message, badTypeId] as const])).message).toMatch(
      /union type id 7 at value 1 names no child/,
    );
    const badOffset = batch.body.slice();
    new DataView(badOffset.buffer).setInt32(regions[1]!.offset + 8, 2, true);
    expect(decodeError(joinMessages([messages[0]!, [batch.message, badOffset] as const])).message).toMatch(
      /dense union offset 2 at value 2 lies outside its child of 2 values/,
    );
  });

  describe('nesting depth', () => {
    /** A schema-only table with one column nested `depth` levels deep. */
    function nestedListTable(depth: number): Table {
      let type: List | Int32 = new Int32();
      for (let level = 1; level < depth; level += 1) type = new List(new Field('item', type, true));
      return new Table(new Schema([new Field('deep', type, true)]));
    }

    it(`accepts ${DEFAULT_MAX_NESTING_DEPTH} levels by default and refuses one more, before decoding the schema`, () => {
      expect(decode(tableToIPC(nestedListTable(DEFAULT_MAX_NESTING_DEPTH))).numRows).toBe(0);
      const error = decodeError(tableToIPC(nestedListTable(DEFAULT_MAX_NESTING_DEPTH + 1)));
      expect(error.message).toMatch(/more than maxNestingDepth \(64\) levels deep/);
      expect(error.byteOffset).toBe(0);
    });

    it('follows the maxNestingDepth option', () => {
      const bytes = tableToIPC(nestedListTable(3));
      expect(decodeError(bytes, 2).message).toMatch(/maxNestingDepth \(2\)/);
      expect(decode(bytes, 3).numRows).toBe(0);
      expect(decode(tableToIPC(nestedListTable(200)), 200).numRows).toBe(0);
    });

    it('refuses a maxNestingDepth that is not an integer from 1 to 1000', () => {
      for (const maxNestingDepth of [0, 1001, 1.5]) {
        expect(() => new ChunkAssembler({ maxNestingDepth })).toThrow(ChunkerConfigError);
      }
    });
  });

  it('refuses a dictionary batch whose data does not match its metadata', () => {
    const { messages } = dictionaryStream();
    const dictionary = messages[1]!.message.header() as DictionaryBatchHeader;
    const data = dictionary.data;
    const longer = new RecordBatchHeader(50, [new FieldNode(50, 0)], data.buffers, null);
    const stream = [
      messages[0]!,
      [
        Message.from(new DictionaryBatchHeader(longer, dictionary.id), messages[1]!.body.byteLength),
        messages[1]!.body,
      ] as const,
      messages[2]!,
    ];
    const error = decodeError(joinMessages(stream));
    expect(error.message).toMatch(
      /dictionary batch \(id \d+\) does not match its metadata: .*too few offsets/,
    );
    expect(error.byteOffset).toBe(messageOffsets(stream)[1]);
  });

  it('accepts Int8 dictionary indices and a replacement dictionary between batches', () => {
    const type = new Dictionary(new Utf8(), new Int8());
    const first = vectorFromArray(['x', 'y'], type);
    const second = vectorFromArray(['z', 'z', 'w'], type);
    const table = new Table([new Table({ t: first }).batches[0]!, new Table({ t: second }).batches[0]!]);
    expect(tableValues(decode(tableToIPC(table))).t).toEqual(['x', 'y', 'z', 'z', 'w']);
  });

  it('fuzz regression: every byte of schema metadata set to 0xFF gives a Table or a typed error, decoded or chunked', () => {
    // Found by the byte-chunker fuzzer (seed 777): a schema field type id 255 made Arrow's schema decoder
    // throw a plain Error out of chunkIpcStream.
    const bytes = tableToIPC(sampleTable(3));
    const metadataBytes = new DataView(bytes.buffer, bytes.byteOffset).getInt32(4, true);
    let typedErrors = 0;
    for (let position = 8; position < 8 + metadataBytes; position += 1) {
      const damaged = bytes.slice();
      damaged[position] = 0xff;
      for (const attempt of [() => decode(damaged), () => [...chunkIpcStream(damaged)]]) {
        try {
          attempt();
        } catch (error) {
          if (!ChunkerError.isInstance(error)) throw error;
          typedErrors += 1;
        }
      }
    }
    expect(typedErrors).toBeGreaterThan(0);
  });
});
