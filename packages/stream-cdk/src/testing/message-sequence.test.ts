import {
  logMessage,
  recordMessage,
  streamStateMessage,
  streamStatusTrace,
} from '../protocol/message-factories';
import { describeMessage, expectMessageSequence, messageSequence } from './message-sequence';

const messages = [
  streamStatusTrace({ name: 'a' }, 'STARTED'),
  recordMessage('a', { b: 2, a: 1 }),
  logMessage('INFO', 'hello'),
  streamStateMessage({ name: 'a' }, { page: 2 }, 1),
  streamStatusTrace({ name: 'b' }, 'STARTED'),
];

describe('message sequences', () => {
  it('describes messages with canonical JSON', () => {
    expect(describeMessage(messages[1]!)).toBe('R({"a":1,"b":2})');
    expect(messageSequence(messages, { stream: 'a' })).toEqual(['ST', 'R({"a":1,"b":2})', 'S({"page":2})']);
    expect(messageSequence(messages, { ignoreLogs: true })).toHaveLength(4);
  });

  it('matches bare tokens and exact tokens, whatever the key order', () => {
    expect(() => expectMessageSequence(messages, 'ST R L(INFO) S ST')).not.toThrow();
    expect(() =>
      expectMessageSequence(messages, ['ST', 'R({"b":2,"a":1})', 'L', 'S({"page":2})', 'ST']),
    ).not.toThrow();
  });

  it('throws with both sequences when they differ', () => {
    expect(() => expectMessageSequence(messages, 'ST R L S')).toThrow(/expected: ST R L S\nactual: {3}ST R/);
    expect(() => expectMessageSequence(messages, 'ST R({"a":2}) L S ST')).toThrow();
    expect(() => expectMessageSequence(messages, 'ST R L S(not json) ST')).toThrow();
  });
});
