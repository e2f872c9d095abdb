import { canonicalJson } from '../checkpoint/canonical-json';
import type { AirbyteMessage } from '../protocol/airbyte-protocol';

/**
 * One short token per message, in the notation of the design notes: `ST`/`RU`/`CO`/`IN` stream
 * statuses, `R(data)` records, `S(state)` STATE blobs, `E(failure_type)` ERROR traces, `L(level)`
 * logs, `SPEC`, `CATALOG`, `CS(status)` connection status, `T(type)` other traces, `CONTROL`.
 * JSON inside tokens is canonical (sorted keys, no spaces).
 */
export function describeMessage(message: AirbyteMessage): string {
  switch (message.type) {
    case 'RECORD':
      return `R(${canonicalJson(message.record.data)})`;
    case 'STATE':
      return `S(${canonicalJson(message.state.stream?.stream_state ?? message.state.data ?? {})})`;
    case 'LOG':
      return `L(${message.log.level})`;
    case 'TRACE': {
      const trace = message.trace;
      if (trace.type === 'STREAM_STATUS') {
        return { STARTED: 'ST', RUNNING: 'RU', COMPLETE: 'CO', INCOMPLETE: 'IN' }[trace.stream_status.status];
      }
      if (trace.type === 'ERROR') return `E(${trace.error.failure_type ?? 'system_error'})`;
      return `T(${trace.type})`;
    }
    case 'SPEC':
      return 'SPEC';
    case 'CATALOG':
      return 'CATALOG';
    case 'CONNECTION_STATUS':
      return `CS(${message.connectionStatus.status})`;
    case 'CONTROL':
      return 'CONTROL';
  }
}

/** Options of {@link messageSequence} and {@link expectMessageSequence}. */
export interface MessageSequenceOptions {
  /** Keep only messages about this stream (records, states, statuses, errors with its descriptor). */
  stream?: string;
  /** Drop LOG messages. Default false. */
  ignoreLogs?: boolean;
}

/** Tokens ({@link describeMessage}) of `messages`, optionally of one stream. */
export function messageSequence(
  messages: readonly AirbyteMessage[],
  options: MessageSequenceOptions = {},
): string[] {
  return messages
    .filter((message) => (options.ignoreLogs ? message.type !== 'LOG' : true))
    .filter((message) => options.stream === undefined || streamOf(message) === options.stream)
    .map(describeMessage);
}

/**
 * Throws an Error with both sequences side by side unless `messages` match `expected`. `expected` is
 * an array of tokens or one string of tokens separated by spaces. A bare `R`, `S`, `E` or `L` matches
 * any record, state, error or log; a token with parentheses must match exactly (JSON compared
 * canonically, so key order does not matter).
 */
export function expectMessageSequence(
  messages: readonly AirbyteMessage[],
  expected: string | readonly string[],
  options: MessageSequenceOptions = {},
): void {
  const expectedTokens = typeof expected === 'string' ? expected.trim().split(/\s+/) : [...expected];
  const actual = messageSequence(messages, options);
  const matches =
    actual.length === expectedTokens.length &&
    actual.every((token, index) => tokenMatches(token, expectedTokens[index]!));
  if (!matches) {
    throw new Error(
      `message sequence differs${options.stream ? ` for stream ${options.stream}` : ''}\nexpected: ${expectedTokens.join(' ')}\nactual:   ${actual.join(' ')}`,
    );
  }
}

function tokenMatches(actual: string, expected: string): boolean {
  if (actual === expected) return true;
  const open = expected.indexOf('(');
  if (open === -1) return actual.startsWith(`${expected}(`);
  const actualOpen = actual.indexOf('(');
  if (actual.slice(0, actualOpen) !== expected.slice(0, open)) return false;
  const expectedInner = expected.slice(open + 1, -1);
  try {
    return canonicalJson(JSON.parse(expectedInner)) === actual.slice(actualOpen + 1, -1);
  } catch {
    return false;
  }
}

function streamOf(message: AirbyteMessage): string | undefined {
  if (message.type === 'RECORD') return message.record.stream;
  if (message.type === 'STATE') return message.state.stream?.stream_descriptor.name;
  if (message.type === 'TRACE') {
    if (message.trace.type === 'STREAM_STATUS') return message.trace.stream_status.stream_descriptor.name;
    if (message.trace.type === 'ERROR') return message.trace.error.stream_descriptor?.name;
  }
  return undefined;
}
