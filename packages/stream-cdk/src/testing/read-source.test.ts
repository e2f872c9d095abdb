import { StateParseError } from '../errors/state-parse-error';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../protocol/airbyte-protocol';
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

  it('drops finished full refresh states unless retry, and full refresh streams of the catalog', () => {
    const finished: AirbyteMessage[] = [
      streamStateMessage({ name: 'rfr' }, { __ab_full_refresh_sync_complete: true }),
      streamStateMessage({ name: 'plain' }, { __ab_no_cursor_state_message: true }),
      streamStateMessage({ name: 'pages' }, { page: 4 }),
      streamStateMessage({ name: 'inc' }, { updated_at: 'x' }),
    ];
    const names = (states: { stream?: { stream_descriptor: { name: string } } }[]) =>
      states.map((state) => state.stream?.stream_descriptor.name);
    expect(names(mergeStateForNextRun(undefined, finished))).toEqual(['pages', 'inc']);
    expect(names(mergeStateForNextRun(undefined, finished, { retry: true }))).toEqual([
      'rfr',
      'plain',
      'pages',
      'inc',
    ]);
    const catalog = {
      streams: [
        {
          stream: { name: 'pages', json_schema: {}, supported_sync_modes: ['full_refresh'] },
          sync_mode: 'full_refresh',
        },
        {
          stream: { name: 'inc', json_schema: {}, supported_sync_modes: ['incremental'] },
          sync_mode: 'incremental',
        },
      ],
    } as ConfiguredAirbyteCatalog;
    expect(names(mergeStateForNextRun(undefined, finished, { catalog }))).toEqual(['inc']);
  });

  it('rejects a malformed STATE message', () => {
    const bad = [{ type: 'STATE', state: { type: 'STREAM' } }] as unknown as AirbyteMessage[];
    expect(() => mergeStateForNextRun(undefined, bad)).toThrow(StateParseError);
  });
});
