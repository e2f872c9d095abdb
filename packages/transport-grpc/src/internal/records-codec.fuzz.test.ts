import { types } from 'node:util';
import fc from 'fast-check';
import {
  applyByteMutation,
  byteMutationArbitrary,
  cutInto,
  cutsArbitrary,
} from '../__fixtures__/byte-mutations.js';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters.js';
import { sdk } from '../gen/sdk.js';
import { decodeRecordsPieceParts, encodeRecordsPiece } from './records-codec.js';
import { sdkToolV2Definition, undecodableReason } from './service-definition.js';

// Fuzzers of the protobuf decode paths of received messages: the hand-written records-piece decoder
// (checked against the generated codec), the lenient request decoders the grpc-js carrier uses (never
// throw: a bad request is marked and refused in band) and the throwing ones of the http2 carrier (an
// Error its caller turns into an INTERNAL status). FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

const pieceArbitrary = fc.record({
  anchorName: fc.string({ maxLength: 12 }),
  connectionName: fc.string({ maxLength: 6 }),
  data: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 130, maxLength: 600 })),
  endOfChunk: fc.boolean(),
});

/** Message bytes: an encoded records piece (either direction) or another message, then damaged. */
const messageBytesArbitrary = fc
  .tuple(
    fc.constantFrom(1 as const, 2 as const),
    pieceArbitrary,
    fc.boolean(),
    byteMutationArbitrary,
    cutsArbitrary,
  )
  .map(([outerField, piece, other, mutation, cuts]) => {
    const valid = other
      ? outerField === 1
        ? sdk.RecordTransferIn.encode({
            incomingConnectionComplete: { anchorName: piece.anchorName },
          }).finish()
        : sdk.RecordTransferOut.encode({ wantRecords: { anchorName: piece.anchorName } }).finish()
      : encodeRecordsPiece(outerField, piece);
    const bytes = applyByteMutation(valid, mutation);
    return {
      outerField,
      piece,
      intact: mutation.kind === 'none' && !other,
      bytes,
      parts: cutInto(bytes, cuts),
    };
  });

/** The generated codec's reading of `bytes`, or the Error it throws. */
function generated(
  outerField: 1 | 2,
  bytes: Uint8Array,
): sdk.RecordTransferIn.IncomingRecords.$Properties | null | undefined | Error {
  try {
    return outerField === 1
      ? sdk.RecordTransferIn.decode(bytes).incomingRecords
      : sdk.RecordTransferOut.decode(bytes).outgoingRecords;
  } catch (error) {
    if (!types.isNativeError(error)) throw error;
    return error;
  }
}

describe('fuzz: records piece decoder (decodeRecordsPieceParts)', () => {
  it('reads what the generated codec reads, or leaves the message to it', () => {
    fc.assert(
      fc.property(messageBytesArbitrary, ({ outerField, piece, intact, bytes, parts }) => {
        const decoded = decodeRecordsPieceParts(outerField, parts, bytes.byteLength);
        if (intact) expect(decoded).toBeDefined();
        if (decoded === undefined) return;
        const reference = generated(outerField, bytes);
        expect(types.isNativeError(reference)).toBe(false);
        const expected = reference as sdk.RecordTransferIn.IncomingRecords.$Properties | null | undefined;
        expect(decoded.anchorName).toBe(expected?.anchorName ?? '');
        expect(decoded.connectionName).toBe(expected?.connectionName ?? '');
        expect([...decoded.data]).toEqual([...(expected?.data ?? [])]);
        expect(decoded.endOfChunk).toBe(expected?.endOfChunk ?? false);
        if (intact) {
          expect(decoded.anchorName).toBe(Buffer.from(piece.anchorName).toString());
          expect([...decoded.data]).toEqual([...piece.data]);
          expect(decoded.endOfChunk).toBe(piece.endOfChunk);
        }
      }),
      fuzzParameters(250),
    );
  });

  it('reads arbitrary bytes as a piece or as not one, holding no memory sized by a declared length', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1 as const, 2 as const),
        fc.uint8Array({ maxLength: 64 }),
        cutsArbitrary,
        (outerField, bytes, cuts) => {
          const before = process.memoryUsage().arrayBuffers;
          decodeRecordsPieceParts(outerField, cutInto(bytes, cuts), bytes.byteLength);
          expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
        },
      ),
      fuzzParameters(400),
    );
  });
});

describe('fuzz: declared lengths inside a records message', () => {
  /** A protobuf varint of `value` (up to 2^53). */
  function varint(value: number): number[] {
    const bytes: number[] = [];
    let rest = value;
    while (rest > 127) {
      bytes.push((rest % 128) | 0x80);
      rest = Math.floor(rest / 128);
    }
    bytes.push(rest);
    return bytes;
  }

  it('holds nothing sized by a data length the message declares but does not carry', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1), fc.integer({ min: 64, max: 2 ** 40 })),
        fc.uint8Array({ maxLength: 16 }),
        cutsArbitrary,
        (declared, carried, cuts) => {
          // RecordTransferIn { incoming_records { data: <declared length>, then only `carried` } }
          const data = [(3 << 3) | 2, ...varint(declared), ...carried];
          const bytes = Uint8Array.from([(1 << 3) | 2, ...varint(data.length), ...data]);
          const before = process.memoryUsage().arrayBuffers;
          expect(decodeRecordsPieceParts(1, cutInto(bytes, cuts), bytes.byteLength)).toBeUndefined();
          expect(() => sdk.RecordTransferIn.decode(bytes)).toThrow();
          expect(
            undecodableReason(sdkToolV2Definition.methods.recordTransfer.requestType.decode(bytes) as object),
          ).toBeDefined();
          expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
        },
      ),
      fuzzParameters(150),
    );
  });
});

describe('fuzz: request and response decoders of both carriers', () => {
  const { control, recordTransfer } = sdkToolV2Definition.methods;

  it('decodes requests leniently for grpc-js (a bad one is marked, never thrown) and as the http2 carrier does', () => {
    fc.assert(
      fc.property(messageBytesArbitrary, fc.boolean(), ({ bytes, parts }, isControl) => {
        const type = isControl ? control.requestType : recordTransfer.requestType;
        const lenient = type.decode(bytes) as object;
        let strict: object | Error;
        try {
          strict = type.decodeParts({ parts, byteLength: bytes.byteLength }) as object;
        } catch (error) {
          if (!types.isNativeError(error)) throw error;
          strict = error;
        }
        // Both carriers agree on which messages decode.
        expect(undecodableReason(lenient) !== undefined).toBe(types.isNativeError(strict));
      }),
      fuzzParameters(250),
    );
  });

  it('decodes responses into a message or an Error (which each client turns into INTERNAL)', () => {
    fc.assert(
      fc.property(messageBytesArbitrary, fc.boolean(), ({ bytes, parts }, isControl) => {
        const type = isControl ? control.responseType : recordTransfer.responseType;
        for (const decode of [
          () => type.decode(bytes),
          () => type.decodeParts({ parts, byteLength: bytes.byteLength }),
        ]) {
          try {
            expect(typeof decode()).toBe('object');
          } catch (error) {
            if (!types.isNativeError(error) || error.constructor.name === 'JestAssertionError') throw error;
          }
        }
      }),
      fuzzParameters(250),
    );
  });
});
