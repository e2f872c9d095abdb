import { Message } from 'apache-arrow';

/** One message of a stream, as framed: where it starts, its decoded metadata and its body bytes. */
export interface FramedMessage {
  readonly byteOffset: number;
  readonly message: Message;
  readonly body: Uint8Array;
}

/** Splits a well-formed IPC stream (continuation-marker framing, with its end-of-stream marker) into messages. */
export function splitMessages(stream: Uint8Array): FramedMessage[] {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const messages: FramedMessage[] = [];
  let position = 0;
  for (;;) {
    const metadataBytes = view.getInt32(position + 4, true);
    if (metadataBytes === 0) return messages;
    const message = Message.decode(stream.subarray(position + 8, position + 8 + metadataBytes));
    const bodyStart = position + 8 + metadataBytes;
    const body = stream.subarray(bodyStart, bodyStart + Number(message.bodyLength));
    messages.push({ byteOffset: position, message, body });
    position = bodyStart + body.byteLength;
  }
}

/**
 * Frames messages into a stream (continuation marker, 8-byte padded metadata, body, end-of-stream
 * marker). A replacement message is given as `[message, body]`; its metadata is re-encoded by Arrow.
 */
export function joinMessages(
  messages: readonly (FramedMessage | readonly [Message, Uint8Array])[],
): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of messages) {
    const [message, body] = 'message' in entry ? [entry.message, entry.body] : entry;
    const metadata = Message.encode(message);
    const padded = Math.ceil((metadata.byteLength + 8) / 8) * 8 - 8;
    const prefix = new Uint8Array(8 + padded);
    const view = new DataView(prefix.buffer);
    view.setInt32(0, -1, true);
    view.setInt32(4, padded, true);
    prefix.set(metadata, 8);
    parts.push(prefix, body);
  }
  parts.push(Uint8Array.of(255, 255, 255, 255, 0, 0, 0, 0));
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const stream = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    stream.set(part, offset);
    offset += part.byteLength;
  }
  return stream;
}

/** Byte offset each message would have in `joinMessages(messages)`. */
export function messageOffsets(
  messages: readonly (FramedMessage | readonly [Message, Uint8Array])[],
): number[] {
  const offsets: number[] = [];
  let position = 0;
  for (const entry of messages) {
    const [message, body] = 'message' in entry ? [entry.message, entry.body] : entry;
    offsets.push(position);
    const metadataBytes = Message.encode(message).byteLength;
    position += 8 + Math.ceil((metadataBytes + 8) / 8) * 8 - 8 + body.byteLength;
  }
  return offsets;
}
