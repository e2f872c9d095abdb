import { sdk } from '../gen/sdk.js';
import { encodeRecordsPiece, encodeRecordsPieceParts } from './records-codec.js';

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
