import { sdk } from '../gen/sdk.js';
import {
  assemblerPiecesOf,
  decodeRecordsPieceParts,
  encodeRecordsPiece,
  encodeRecordsPieceParts,
  ReceivedRecordsPiece,
} from './records-codec.js';

describe('encodeRecordsPiece', () => {
  const cases = [
    { anchorName: 'Input', connectionName: '#1', data: new Uint8Array([1, 2, 3]), endOfChunk: false },
    { anchorName: 'Åñçhør', connectionName: '', data: new Uint8Array(200_000).fill(7), endOfChunk: true },
    { anchorName: '', connectionName: 'c', data: new Uint8Array(0), endOfChunk: true },
  ];

  it.each(cases)('decodes with the generated codec to the same IncomingRecords (%#)', (piece) => {
    const decoded = sdk.RecordTransferIn.decode(encodeRecordsPiece(1, piece));
    expect(decoded.incomingRecords?.anchorName).toBe(piece.anchorName);
    expect(decoded.incomingRecords?.connectionName).toBe(piece.connectionName);
    expect(Buffer.from(decoded.incomingRecords?.data ?? []).equals(Buffer.from(piece.data))).toBe(true);
    expect(decoded.incomingRecords?.endOfChunk).toBe(piece.endOfChunk);
  });

  it.each(cases)(
    'writes the same bytes as the generated codec for OutgoingRecords, minus proto3 defaults (%#)',
    (piece) => {
      const canonical = sdk.RecordTransferOut.encode({
        outgoingRecords: {
          ...(piece.anchorName ? { anchorName: piece.anchorName } : {}),
          ...(piece.connectionName ? { connectionName: piece.connectionName } : {}),
          ...(piece.data.byteLength > 0 ? { data: piece.data } : {}),
          ...(piece.endOfChunk ? { endOfChunk: true } : {}),
        },
      }).finish();
      expect(Buffer.from(encodeRecordsPiece(2, piece)).equals(Buffer.from(canonical))).toBe(true);
    },
  );
});

describe('encodeRecordsPieceParts', () => {
  const cases = [
    { anchorName: 'Input', connectionName: '#1', data: new Uint8Array([1, 2, 3]), endOfChunk: false },
    { anchorName: 'Åñçhør', connectionName: '', data: new Uint8Array(200_000).fill(7), endOfChunk: true },
    { anchorName: '', connectionName: 'c', data: new Uint8Array(0), endOfChunk: true },
    { anchorName: '', connectionName: '', data: new Uint8Array(0), endOfChunk: false },
  ];

  it.each(cases)('gives parts that concatenate to encodeRecordsPiece, data uncopied (%#)', (piece) => {
    for (const outerField of [1, 2] as const) {
      const parts = encodeRecordsPieceParts(outerField, piece);
      const joined = Buffer.concat(parts.map((part) => Buffer.from(part)));
      expect(joined.equals(Buffer.from(encodeRecordsPiece(outerField, piece)))).toBe(true);
      if (piece.data.byteLength > 0) expect(parts).toContain(piece.data);
    }
  });
});

describe('encodeRecordsPiece hand-off to gRPC', () => {
  const piece = {
    anchorName: 'Input',
    connectionName: '#1',
    data: new Uint8Array(4096).fill(5),
    endOfChunk: true,
  };

  it('is turned into a Buffer without a copy (nice-grpc wraps serializer output in Buffer.from)', () => {
    const bytes = encodeRecordsPiece(1, piece);
    const handedOff = Buffer.from(bytes);
    expect(handedOff.buffer).toBe(bytes.buffer);
    expect(handedOff.equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))).toBe(true);
  });

  it('gives plain, copied Buffers for parts of the message', () => {
    const bytes = encodeRecordsPiece(1, piece);
    const part = bytes.subarray(3, 20);
    expect(Object.getPrototypeOf(part)).toBe(Uint8Array.prototype);
    const copied = Buffer.from(part);
    expect(copied.buffer).not.toBe(bytes.buffer);
    expect([...copied]).toEqual([...bytes.slice(3, 20)]);
  });
});

describe('decodeRecordsPieceParts', () => {
  const splitAt = (bytes: Uint8Array, cuts: readonly number[]) => {
    const parts: Uint8Array[] = [];
    let start = 0;
    for (const cut of [...cuts, bytes.byteLength]) {
      parts.push(bytes.slice(start, cut));
      start = cut;
    }
    return parts;
  };
  const piece = {
    anchorName: 'Åñçhør',
    connectionName: '#2',
    data: Uint8Array.from({ length: 5000 }, (_, i) => i % 251),
    endOfChunk: true,
  };

  it('reads a piece split anywhere, leaving its data in the parts', () => {
    const bytes = encodeRecordsPiece(2, piece);
    for (const cuts of [[], [1], [3, 4], [10, 11, 12], [20, 2000, 4000], [bytes.byteLength - 1]]) {
      const parts = splitAt(bytes, cuts);
      const decoded = decodeRecordsPieceParts(2, parts, bytes.byteLength);
      expect(decoded).toBeInstanceOf(ReceivedRecordsPiece);
      expect(decoded?.anchorName).toBe(piece.anchorName);
      expect(decoded?.connectionName).toBe(piece.connectionName);
      expect(decoded?.endOfChunk).toBe(true);
      const partBuffers = new Set(parts.map((part) => part.buffer));
      for (const dataPart of decoded?.dataParts ?? []) expect(partBuffers.has(dataPart.buffer)).toBe(true);
      expect(Buffer.from(decoded?.data ?? []).equals(Buffer.from(piece.data))).toBe(true);
    }
  });

  it('reads what other encoders may write: any field order, repeats, unknown fields', () => {
    const writer = sdk.OutgoingRecords.encode({ endOfChunk: true, anchorName: 'first' }).finish();
    const inner = Buffer.concat([
      Buffer.from([0x20, 0x01]), // end_of_chunk first
      Buffer.from([0x48, 0x96, 0x01]), // unknown field 9, varint
      Buffer.from([0x52, 0x02, 0x61, 0x62]), // unknown field 10, bytes
      Buffer.from([0x5d, 1, 2, 3, 4]), // unknown field 11, fixed32
      Buffer.from([0x61, 1, 2, 3, 4, 5, 6, 7, 8]), // unknown field 12, fixed64
      Buffer.from([0x1a, 0x03, 7, 8, 9]), // data
      Buffer.from(writer), // end_of_chunk and anchor_name again
      Buffer.from([0x0a, 0x04]),
      Buffer.from('last'), // anchor_name repeated: last wins
    ]);
    const message = Buffer.concat([Buffer.from([0x12, inner.length]), inner]);
    const expected = sdk.RecordTransferOut.decode(message).outgoingRecords;
    const decoded = decodeRecordsPieceParts(2, splitAt(message, [7, 19]), message.byteLength);
    expect(decoded?.anchorName).toBe(expected?.anchorName);
    expect(decoded?.anchorName).toBe('last');
    expect(decoded?.endOfChunk).toBe(expected?.endOfChunk);
    expect([...(decoded?.data ?? [])]).toEqual([...(expected?.data ?? [])]);
  });

  it('leaves everything else to the generated codec', () => {
    const close = sdk.RecordTransferOut.encode({ closeOutgoingAnchor: { name: 'Out' } }).finish();
    expect(decodeRecordsPieceParts(2, [close], close.byteLength)).toBeUndefined();
    const bytes = encodeRecordsPiece(2, piece);
    expect(decodeRecordsPieceParts(1, [bytes], bytes.byteLength)).toBeUndefined();
    const truncated = bytes.subarray(0, bytes.byteLength - 10);
    expect(decodeRecordsPieceParts(2, [truncated], truncated.byteLength)).toBeUndefined();
    const group = Buffer.from([0x12, 0x02, 0x0b, 0x0c]);
    expect(decodeRecordsPieceParts(2, [group], group.byteLength)).toBeUndefined();
    const twoFields = Buffer.concat([Buffer.from(bytes), Buffer.from([0x1a, 0x00])]);
    expect(decodeRecordsPieceParts(2, [twoFields], twoFields.byteLength)).toBeUndefined();
  });
});

describe('assemblerPiecesOf', () => {
  it('feeds each data part, with end_of_chunk on the last only', () => {
    const received = new ReceivedRecordsPiece('A', 'c', [Uint8Array.of(1), Uint8Array.of(2, 3)], true);
    expect(assemblerPiecesOf(received).map((entry) => [[...entry.data], entry.endOfChunk])).toEqual([
      [[1], false],
      [[2, 3], true],
    ]);
    expect(assemblerPiecesOf(new ReceivedRecordsPiece('A', 'c', [], true))).toEqual([
      { data: new Uint8Array(0), endOfChunk: true },
    ]);
  });

  it('feeds a decoded or built piece as it is', () => {
    const data = Uint8Array.of(4, 5);
    expect(assemblerPiecesOf({ data, endOfChunk: false })).toEqual([{ data, endOfChunk: false }]);
    expect(assemblerPiecesOf({ data: null, endOfChunk: null })).toEqual([
      { data: new Uint8Array(0), endOfChunk: false },
    ]);
  });
});

describe('decodeRecordsPieceParts on names that are not UTF-8', () => {
  it('leaves the message to the generated codec, which refuses it, as the grpc-js carrier does (found by fuzzing)', () => {
    // RecordTransferIn { incoming_records { anchor_name: 0xA0 } }: a lone UTF-8 continuation byte.
    const bytes = Uint8Array.of(10, 3, 10, 1, 0xa0);
    expect(decodeRecordsPieceParts(1, [bytes], bytes.byteLength)).toBeUndefined();
    expect(() => sdk.RecordTransferIn.decode(bytes)).toThrow(/utf-8/);
  });
});
