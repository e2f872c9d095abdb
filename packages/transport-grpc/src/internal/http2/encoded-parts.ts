/**
 * How the `http2` carrier serializes a message: as parts written in order, so that a large field (a
 * records piece's data) goes out as it is instead of being copied into one buffer first.
 */

import { framedMessage, joinedBytes, type ReceivedMessage } from './grpc-framing.js';

/** A serialized message: parts whose concatenation is the message, and what to run once written. */
export interface EncodedParts {
  readonly parts: readonly Uint8Array[];
  /** Called once the parts are written to the socket (or can never be): their memory is free again. */
  readonly onWritten?: () => void;
}

/** A message type as the service definitions give it, optionally able to serialize as parts. */
export interface PartsEncodableType<Message> {
  encode(message: Message): { finish(): Uint8Array };
  encodeParts?(message: Message): EncodedParts;
}

/** The type's own `encodeParts` when it has one, else its single-buffer encoding as one part. */
export function partsEncoderOf<Message>(
  type: PartsEncodableType<Message>,
): (message: Message) => EncodedParts {
  const encodeParts = type.encodeParts;
  if (typeof encodeParts === 'function') return (message) => encodeParts.call(type, message);
  return (message) => ({ parts: [type.encode(message).finish()] });
}

/** A message type as the service definitions give it, optionally able to decode from received parts. */
export interface PartsDecodableType<Message> {
  decode(bytes: Uint8Array): Message;
  decodeParts?(message: ReceivedMessage): Message;
}

/** The type's own `decodeParts` when it has one, else its decoder over the joined bytes. */
export function partsDecoderOf<Message>(
  type: PartsDecodableType<Message>,
): (message: ReceivedMessage) => Message {
  const decodeParts = type.decodeParts;
  if (typeof decodeParts === 'function') return (message) => decodeParts.call(type, message);
  return (message) => type.decode(joinedBytes(message));
}

/** What {@link writeEncoded} needs of an HTTP/2 stream. */
interface PartsSink {
  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  cork(): void;
  uncork(): void;
}

/**
 * Writes one message, framed, as one batch (corked, so Node hands the parts to the socket together).
 * `onWritten` runs once the last part is written, or once the stream has failed and never will be.
 */
export function writeEncoded(stream: PartsSink, encoded: EncodedParts): void {
  const framed = framedMessage(encoded.parts);
  const onWritten = encoded.onWritten;
  stream.cork();
  framed.forEach((buffer, index) => {
    if (onWritten !== undefined && index === framed.length - 1) stream.write(buffer, () => onWritten());
    else stream.write(buffer);
  });
  stream.uncork();
}
