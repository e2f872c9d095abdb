import type { AirbyteLogMessage, AirbyteTraceMessage } from '../protocol/airbyte-protocol';

const streamMessageMarker = Symbol.for('@sdk/stream-cdk/StreamMessage');

/** A LOG or TRACE message yielded by `readRecords` between records, wrapped by {@link streamMessage}. */
export interface StreamMessage {
  readonly [streamMessageMarker]: true;
  readonly message: AirbyteLogMessage | AirbyteTraceMessage;
}

/**
 * Wraps a LOG or TRACE message so `readRecords` can yield it in order with records (a bare object
 * yielded by `readRecords` is always a record). Such messages do not count as records.
 */
export function streamMessage(message: AirbyteLogMessage | AirbyteTraceMessage): StreamMessage {
  return { [streamMessageMarker]: true, message };
}

/** True when `item` was made by {@link streamMessage}. */
export function isStreamMessage(item: unknown): item is StreamMessage {
  return (
    typeof item === 'object' &&
    item !== null &&
    (item as Record<symbol, unknown>)[streamMessageMarker] === true
  );
}
