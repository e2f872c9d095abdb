import {
  framedMessage,
  GrpcFramingError,
  GrpcMessageReader,
  joinedBytes,
  messagePrefixBytes,
  type ReceivedMessage,
} from './grpc-framing.js';

const bytesOf = (length: number, seed: number) =>
  Uint8Array.from({ length }, (_unused, index) => (index * 31 + seed) % 251);

const concat = (parts: readonly Uint8Array[]) => Buffer.concat(parts.map((part) => Buffer.from(part)));

describe('framedMessage', () => {
  it('prefixes a message with a zero flag and its big-endian length', () => {
    const message = bytesOf(300, 1);
    const framed = concat(framedMessage([message]));
    expect(framed[0]).toBe(0);
    expect(framed.readUInt32BE(1)).toBe(300);
    expect(framed.subarray(messagePrefixBytes).equals(Buffer.from(message))).toBe(true);
  });

  it('joins a small message with its prefix and leaves a large one uncopied', () => {
    expect(framedMessage([bytesOf(10, 2)])).toHaveLength(1);
    const large = bytesOf(100_000, 3);
    const framed = framedMessage([large]);
    expect(framed).toHaveLength(2);
    expect(framed[1]).toBe(large);
  });

  it('writes a large message given as parts without copying them, the prefix joined to a small head', () => {
    const head = bytesOf(20, 4);
    const data = bytesOf(100_000, 5);
    const tail = Uint8Array.of(32, 1);
    const framed = framedMessage([head, data, tail]);
    expect(framed).toHaveLength(3);
    expect(framed[1]).toBe(data);
    expect(framed[2]).toBe(tail);
    const bytes = concat(framed);
    expect(bytes.readUInt32BE(1)).toBe(100_022);
    expect(bytes.subarray(messagePrefixBytes).equals(concat([head, data, tail]))).toBe(true);
  });

  it('joins every part of a small message into one buffer', () => {
    const framed = framedMessage([bytesOf(3, 6), bytesOf(500, 7), bytesOf(2, 8)]);
    expect(framed).toHaveLength(1);
    expect(concat(framed).readUInt32BE(1)).toBe(505);
  });

  it('frames an empty message as a bare prefix', () => {
    expect([...concat(framedMessage([new Uint8Array(0)]))]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('GrpcMessageReader', () => {
  const stream = (messages: readonly Uint8Array[]) =>
    concat(messages.flatMap((message) => framedMessage([message])));

  it('reads messages back whatever the chunk boundaries', () => {
    const messages = [bytesOf(0, 0), bytesOf(1, 1), bytesOf(4, 2), bytesOf(70_000, 3), bytesOf(17, 4)];
    const bytes = stream(messages);
    for (const chunkBytes of [1, 2, 5, 6, 7, 1000, 65_536, bytes.length]) {
      const reader = new GrpcMessageReader({ maxMessageBytes: 1 << 20 });
      const read: ReceivedMessage[] = [];
      for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
        read.push(...reader.push(bytes.subarray(offset, offset + chunkBytes)));
      }
      expect(reader.hasPartialMessage).toBe(false);
      expect(() => reader.finish()).not.toThrow();
      expect(read.map((message) => message.byteLength)).toEqual(
        messages.map((message) => message.byteLength),
      );
      expect(read.map((message) => Buffer.from(joinedBytes(message)).toString('hex'))).toEqual(
        messages.map((message) => Buffer.from(message).toString('hex')),
      );
    }
  });

  it('returns a message that lies within one chunk as one view of that chunk', () => {
    const chunk = stream([bytesOf(50, 5)]);
    const [message] = new GrpcMessageReader({ maxMessageBytes: 100 }).push(chunk);
    expect(message?.parts).toHaveLength(1);
    expect(message?.parts[0]?.buffer).toBe(chunk.buffer);
    expect(message && joinedBytes(message)).toBe(message?.parts[0]);
  });

  it('returns a message that spans chunks as views of each, without copying', () => {
    const bytes = stream([bytesOf(300, 6)]);
    const chunks = [bytes.slice(0, 100), bytes.slice(100, 250), bytes.slice(250)];
    const reader = new GrpcMessageReader({ maxMessageBytes: 1000 });
    const read = chunks.flatMap((chunk) => reader.push(chunk));
    expect(read).toHaveLength(1);
    const [message] = read as [ReceivedMessage];
    expect(message.parts.map((part) => part.buffer)).toEqual(chunks.map((chunk) => chunk.buffer));
    expect(Buffer.from(joinedBytes(message)).equals(Buffer.from(bytesOf(300, 6)))).toBe(true);
  });

  it('refuses a prefix above maxMessageBytes before the body arrives', () => {
    const reader = new GrpcMessageReader({ maxMessageBytes: 1000 });
    const prefix = stream([bytesOf(1001, 6)]).subarray(0, messagePrefixBytes);
    expect(() => reader.push(prefix)).toThrow(GrpcFramingError);
    try {
      new GrpcMessageReader({ maxMessageBytes: 1000 }).push(prefix);
    } catch (error) {
      expect((error as GrpcFramingError).reason).toBe('too-large');
    }
  });

  it('refuses compressed messages, which this carrier never negotiates', () => {
    const framed = stream([bytesOf(8, 7)]);
    framed[0] = 1;
    expect(() => new GrpcMessageReader({ maxMessageBytes: 100 }).push(framed)).toThrow(
      expect.objectContaining({ reason: 'compressed' }),
    );
  });

  it('reports a stream that ends inside a prefix or a body as truncated', () => {
    const bytes = stream([bytesOf(40, 8)]);
    for (const cut of [3, messagePrefixBytes + 10]) {
      const reader = new GrpcMessageReader({ maxMessageBytes: 100 });
      expect(reader.push(bytes.subarray(0, cut))).toEqual([]);
      expect(reader.hasPartialMessage).toBe(true);
      expect(() => reader.finish()).toThrow(expect.objectContaining({ reason: 'truncated' }));
    }
  });
});
