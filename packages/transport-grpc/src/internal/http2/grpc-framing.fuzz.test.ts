import { StreamDecoder } from '@grpc/grpc-js/build/src/stream-decoder';
import fc from 'fast-check';
import {
  applyByteMutation,
  byteMutationArbitrary,
  cutInto,
  cutsArbitrary,
  declaredLengthArbitrary,
} from '../../__fixtures__/byte-mutations.js';
import { fuzzParameters } from '../../__fixtures__/fuzz-parameters.js';
import { framedMessage, GrpcFramingError, GrpcMessageReader, joinedBytes } from './grpc-framing.js';

// Fuzzers of the gRPC message deframer both ends of the http2 carrier use (GrpcMessageReader, in the
// client and in the server call), checked against grpc-js's own deframer (the grpc-js carrier's).
// Invariant: the messages sent, or a GrpcFramingError (which the carrier turns into a gRPC status);
// never another throw, and never memory sized by a prefix's declared length rather than the bytes
// received. `pnpm --filter @sdk/transport-grpc fuzz` runs many more cases (FUZZ_RUNS, FUZZ_SEED).

const reasons = new Set(['too-large', 'compressed', 'truncated']);

function expectFramingError(error: unknown): GrpcFramingError {
  if (!(error instanceof GrpcFramingError) || !reasons.has(error.reason)) throw error;
  return error;
}

const concat = (parts: readonly Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

/** What a reader makes of `pieces`: each message's bytes, or the error that stopped it. */
function readAll(
  pieces: readonly Uint8Array[],
  maxMessageBytes: number,
): { messages: Uint8Array[]; error?: GrpcFramingError } {
  const reader = new GrpcMessageReader({ maxMessageBytes });
  const messages: Uint8Array[] = [];
  try {
    for (const piece of pieces) {
      for (const message of reader.push(piece)) {
        expect(message.byteLength).toBe(message.parts.reduce((sum, part) => sum + part.byteLength, 0));
        expect(message.byteLength).toBeLessThanOrEqual(maxMessageBytes);
        messages.push(Uint8Array.from(joinedBytes(message)));
      }
    }
    reader.finish();
    return { messages };
  } catch (error) {
    return { messages, error: expectFramingError(error) };
  }
}

/** grpc-js's deframer on the same pieces: the message bodies it completes before it stops. */
function grpcJsMessages(pieces: readonly Uint8Array[], maxMessageBytes: number): Uint8Array[] {
  const decoder = new StreamDecoder(maxMessageBytes);
  const messages: Uint8Array[] = [];
  try {
    for (const piece of pieces) {
      for (const framed of decoder.write(Buffer.from(piece))) {
        if (framed[0] !== 0) return messages;
        messages.push(Uint8Array.from(framed.subarray(5)));
      }
    }
  } catch {
    // Its limit error: the messages before it are what counts.
  }
  return messages;
}

const messagesArbitrary = fc.array(
  fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 200, maxLength: 3000 })),
  { maxLength: 6 },
);
const streamOf = (messages: readonly Uint8Array[]) =>
  concat(messages.flatMap((message) => framedMessage([message])));

describe('fuzz: gRPC message framing (GrpcMessageReader)', () => {
  it('reads back every framed message whatever the DATA chunk boundaries', () => {
    fc.assert(
      fc.property(messagesArbitrary, cutsArbitrary, (messages, cuts) => {
        const result = readAll(cutInto(streamOf(messages), cuts), 4 * 1024 * 1024);
        expect(result.error).toBeUndefined();
        expect(result.messages.map((message) => [...message])).toEqual(
          messages.map((message) => [...message]),
        );
      }),
      fuzzParameters(300),
    );
  });

  it('reads damaged streams into messages or a typed framing error, as grpc-js reads them, in memory of the bytes received', () => {
    fc.assert(
      fc.property(
        messagesArbitrary,
        byteMutationArbitrary,
        cutsArbitrary,
        fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.constant(4 * 1024 * 1024), fc.constant(2 ** 32)),
        (messages, mutation, cuts, maxMessageBytes) => {
          const input = applyByteMutation(streamOf(messages), mutation);
          const pieces = cutInto(input, cuts);
          const before = process.memoryUsage().arrayBuffers;
          const reader = new GrpcMessageReader({ maxMessageBytes });
          let received = 0;
          try {
            for (const piece of pieces) {
              for (const message of reader.push(piece)) received += message.byteLength + 5;
            }
          } catch (error) {
            expectFramingError(error);
          }
          // Messages are views of the pieces: whatever a prefix declares, nothing of its size is held.
          expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
          expect(received).toBeLessThanOrEqual(input.byteLength);
          const result = readAll(pieces, maxMessageBytes);
          const expected = grpcJsMessages(pieces, maxMessageBytes).map((message) => [...message]);
          // A framing error fails the whole call, so the messages of the piece it arrived in are dropped
          // with it: what was read before is a prefix of what grpc-js read.
          const read = result.messages.map((message) => [...message]);
          expect(read).toEqual(result.error === undefined ? expected : expected.slice(0, read.length));
          if (
            mutation.kind === 'none' &&
            messages.every((message) => message.byteLength <= maxMessageBytes)
          ) {
            expect(result.error).toBeUndefined();
          }
        },
      ),
      fuzzParameters(300),
    );
  });

  it('reads arbitrary bytes into messages or a typed framing error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), cutsArbitrary, (input, cuts) => {
        const result = readAll(cutInto(input, cuts), 1024);
        const total = result.messages.reduce((sum, message) => sum + message.byteLength + 5, 0);
        expect(total).toBeLessThanOrEqual(input.byteLength);
      }),
      fuzzParameters(300),
    );
  });

  it('holds nothing sized by a declared length: a huge prefix with a few bytes is a limit error or a truncation', () => {
    fc.assert(
      fc.property(
        declaredLengthArbitrary.filter((length) => length > 64),
        fc.uint8Array({ maxLength: 16 }),
        fc.integer({ min: 1, max: 5 }),
        (declared, body, prefixPiece) => {
          const prefix = Uint8Array.of(
            0,
            declared >>> 24,
            (declared >>> 16) & 255,
            (declared >>> 8) & 255,
            declared & 255,
          );
          // The prefix itself may arrive split, so both of the reader's prefix paths are taken.
          const pieces = [prefix.subarray(0, prefixPiece), prefix.subarray(prefixPiece), body];
          const before = process.memoryUsage().arrayBuffers;
          const limited = readAll(pieces, 4 * 1024 * 1024);
          const unlimited = readAll(pieces, 2 ** 32);
          expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
          expect(limited.messages).toEqual([]);
          expect(limited.error?.reason).toBe(declared > 4 * 1024 * 1024 ? 'too-large' : 'truncated');
          if (limited.error?.reason === 'too-large') {
            expect(limited.error.sizes).toEqual({ messageBytes: declared, limitBytes: 4 * 1024 * 1024 });
          }
          expect(unlimited.messages).toEqual([]);
          expect(unlimited.error?.reason).toBe('truncated');
        },
      ),
      fuzzParameters(200),
    );
  });
});
