import { Message } from 'apache-arrow';
import {
  BufferRegion,
  DictionaryBatch as DictionaryBatchHeader,
  FieldNode,
  RecordBatch as RecordBatchHeader,
} from 'apache-arrow/ipc/metadata/message';
import fc from 'fast-check';
import { type FramedMessage, joinMessages, splitMessages } from './ipc-messages.js';

// Damage applied to valid IPC streams by the fuzzers: the kinds of corruption and hostility a decoder
// facing the network meets, from flipped bits to metadata that lies about lengths, counts and order.

/** Values that break naive length arithmetic: signs, 31/32/53-bit edges, zero, small. */
const interestingNumbers = [
  -1,
  0,
  1,
  2,
  3,
  7,
  8,
  255,
  4096,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53 - 1,
  -(2 ** 31),
  1e9,
];

const interestingNumber = fc.oneof(
  fc.constantFrom(...interestingNumbers),
  fc.integer({ min: -4, max: 70_000 }),
);

type HeaderField = 'length' | 'node-length' | 'node-nulls' | 'buffer-offset' | 'buffer-length';

export type Mutation =
  | { readonly kind: 'none' }
  | { readonly kind: 'flip'; readonly flips: readonly (readonly [number, number])[] }
  | { readonly kind: 'int32'; readonly position: number; readonly value: number }
  | { readonly kind: 'int64'; readonly position: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'random'; readonly bytes: Uint8Array }
  | {
      readonly kind: 'header';
      readonly message: number;
      readonly field: HeaderField;
      readonly index: number;
      readonly value: number;
    }
  | { readonly kind: 'delta'; readonly message: number }
  | {
      readonly kind: 'reorder';
      readonly op: 'drop' | 'duplicate' | 'swap';
      readonly a: number;
      readonly b: number;
    }
  | { readonly kind: 'concat' };

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' } as const), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('int32' as const),
      position: fc.nat(),
      value: interestingNumber,
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('int64' as const),
      position: fc.nat(),
      value: interestingNumber,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('truncate' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 400 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('header' as const),
      message: fc.nat(),
      field: fc.constantFrom<HeaderField>(
        'length',
        'node-length',
        'node-nulls',
        'buffer-offset',
        'buffer-length',
      ),
      index: fc.nat(),
      value: interestingNumber,
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('delta' as const), message: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('reorder' as const),
      op: fc.constantFrom<'drop' | 'duplicate' | 'swap'>('drop', 'duplicate', 'swap'),
      a: fc.nat(),
      b: fc.nat(),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: 'concat' } as const), weight: 1 },
);

/** `stream` (a valid IPC stream) with `mutation` applied. */
export function applyMutation(stream: Uint8Array, mutation: Mutation): Uint8Array {
  switch (mutation.kind) {
    case 'none':
      return stream;
    case 'flip': {
      const damaged = stream.slice();
      for (const [position, mask] of mutation.flips) {
        const index = position % damaged.byteLength;
        damaged[index] = damaged[index]! ^ mask;
      }
      return damaged;
    }
    case 'int32':
    case 'int64': {
      const damaged = stream.slice();
      const width = mutation.kind === 'int32' ? 4 : 8;
      if (damaged.byteLength < width) return damaged;
      const position = (mutation.position % (damaged.byteLength - width + 1)) & ~3;
      const view = new DataView(damaged.buffer);
      if (width === 4) view.setInt32(position, mutation.value | 0, true);
      else view.setBigInt64(position, BigInt(mutation.value), true);
      return damaged;
    }
    case 'truncate':
      return stream.slice(0, Math.floor(mutation.at * (stream.byteLength - 1)));
    case 'random':
      return mutation.bytes;
    case 'concat':
      return Uint8Array.from([...stream, ...stream]);
    case 'header':
      return rewriteHeader(stream, mutation.message, (header) =>
        changeHeader(header, mutation.field, mutation.index, mutation.value),
      );
    case 'delta':
      return rewriteMessages(stream, (messages) => {
        const dictionaries = messages.filter((framed) => framed.message.isDictionaryBatch());
        const target = dictionaries[mutation.message % Math.max(1, dictionaries.length)];
        return messages.map((framed) => {
          if (framed !== target) return framed;
          const header = framed.message.header() as DictionaryBatchHeader;
          const toggled = new DictionaryBatchHeader(header.data, header.id, !header.isDelta);
          return [Message.from(toggled, framed.body.byteLength), framed.body] as const;
        });
      });
    case 'reorder':
      return rewriteMessages(stream, (messages) => {
        if (messages.length === 0) return messages;
        const a = mutation.a % messages.length;
        const b = mutation.b % messages.length;
        const copy: (FramedMessage | readonly [Message, Uint8Array])[] = [...messages];
        if (mutation.op === 'drop') copy.splice(a, 1);
        else if (mutation.op === 'duplicate') copy.splice(b, 0, messages[a]!);
        else [copy[a], copy[b]] = [copy[b]!, copy[a]!];
        return copy;
      });
  }
}

function rewriteMessages(
  stream: Uint8Array,
  change: (messages: FramedMessage[]) => readonly (FramedMessage | readonly [Message, Uint8Array])[],
): Uint8Array {
  return joinMessages(change(splitMessages(stream)));
}

/** Rewrites the header of the n-th record batch (or dictionary batch data) message. */
function rewriteHeader(
  stream: Uint8Array,
  messageIndex: number,
  change: (header: RecordBatchHeader) => RecordBatchHeader,
): Uint8Array {
  return rewriteMessages(stream, (messages) => {
    const batches = messages.filter((framed) => !framed.message.isSchema());
    const target = batches[messageIndex % Math.max(1, batches.length)];
    return messages.map((framed) => {
      if (framed !== target) return framed;
      if (framed.message.isDictionaryBatch()) {
        const header = framed.message.header() as DictionaryBatchHeader;
        const changed = new DictionaryBatchHeader(change(header.data), header.id, header.isDelta);
        return [Message.from(changed, framed.body.byteLength), framed.body] as const;
      }
      const header = change(framed.message.header() as RecordBatchHeader);
      return [Message.from(header, framed.body.byteLength), framed.body] as const;
    });
  });
}

function changeHeader(
  header: RecordBatchHeader,
  field: HeaderField,
  index: number,
  value: number,
): RecordBatchHeader {
  let { length } = header;
  const nodes = [...header.nodes];
  const buffers = [...header.buffers];
  if (field === 'length') length = value;
  else if ((field === 'node-length' || field === 'node-nulls') && nodes.length > 0) {
    const at = index % nodes.length;
    const node = nodes[at]!;
    nodes[at] =
      field === 'node-length' ? new FieldNode(value, node.nullCount) : new FieldNode(node.length, value);
  } else if (buffers.length > 0) {
    const at = index % buffers.length;
    const region = buffers[at]!;
    buffers[at] =
      field === 'buffer-offset'
        ? new BufferRegion(value, region.length)
        : new BufferRegion(region.offset, value);
  }
  return new RecordBatchHeader(length, nodes, buffers, null, header.variadicBufferCounts);
}

/** How the bytes of a stream are delivered: whole, or cut into pieces of these sizes (cycled). */
export const deliveryArbitrary: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.constant([]),
  fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 6 }),
);

/** `bytes` cut as `delivery` says (whole when it is empty), each piece in its own buffer. */
export function deliver(bytes: Uint8Array, delivery: readonly number[]): Uint8Array[] {
  if (delivery.length === 0) return [bytes];
  const pieces: Uint8Array[] = [];
  for (let offset = 0, index = 0; offset < bytes.byteLength; index += 1) {
    const size = delivery[index % delivery.length]!;
    pieces.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  return pieces;
}

/** fast-check settings for the fuzzers: a fixed seed and bounded runs in CI; FUZZ_RUNS / FUZZ_SEED override. */
export function fuzzParameters(defaultRuns: number): {
  numRuns: number;
  seed: number;
  endOnFailure: boolean;
} {
  const runs = Number(process.env.FUZZ_RUNS);
  const seed = Number(process.env.FUZZ_SEED);
  return {
    // FUZZ_NO_SHRINK=1 reports the first failure as found, without shrinking it (faster on long runs).
    endOnFailure: process.env.FUZZ_NO_SHRINK === '1',
    numRuns: Number.isSafeInteger(runs) && runs > 0 ? runs : defaultRuns,
    // A longer run without a given seed explores new cases; fast-check prints the seed of a failure.
    seed: Number.isSafeInteger(seed) ? seed : Number.isSafeInteger(runs) ? Date.now() % 2 ** 31 : 16_016,
  };
}
