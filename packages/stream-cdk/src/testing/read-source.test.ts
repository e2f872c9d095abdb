import { StateParseError } from '../errors/state-parse-error';
import type { AirbyteMessage } from '../protocol/airbyte-protocol';
import { recordMessage, streamStateMessage } from '../protocol/message-factories';
import { latestStatePerStream, mergeStateForNextRun } from './read-source';

describe('mergeStateForNextRun', () => {
  const messages: AirbyteMessage[] = [
    streamStateMessage({ name: 'a' }, { page: 2 }, 10),
    recordMessage('b', { id: 1 }),
    streamStateMessage({ name: 'b', namespace: 'ns' }, { id: 1 }, 1),
    streamStateMessage({ name: 'a' }, { page: 3 }, 10),
  ];

  it('applies the latest state of each stream over the previous state and drops sourceStats', () => {
    const previous = [
      { type: 'STREAM', stream: { stream_descriptor: { name: 'c' }, stream_state: { keep: true } } },
      { type: 'STREAM', stream: { stream_descriptor: { name: 'a' }, stream_state: { page: 1 } } },
    ];
    expect(mergeStateForNextRun(previous, messages)).toEqual([
      { type: 'STREAM', stream: { stream_descriptor: { name: 'c' }, stream_state: { keep: true } } },
      { type: 'STREAM', stream: { stream_descriptor: { name: 'a' }, stream_state: { page: 3 } } },
      {
        type: 'STREAM',
        stream: { stream_descriptor: { name: 'b', namespace: 'ns' }, stream_state: { id: 1 } },
      },
    ]);
  });

  it('without a previous state equals latestStatePerStream', () => {
    expect(mergeStateForNextRun(undefined, messages)).toEqual(latestStatePerStream(messages));
  });

  it('rejects a malformed STATE message', () => {
    const bad = [{ type: 'STATE', state: { type: 'STREAM' } }] as unknown as AirbyteMessage[];
    expect(() => mergeStateForNextRun(undefined, bad)).toThrow(StateParseError);
  });
});
