import { StateParseError } from '../errors/state-parse-error';
import { assertValidMessages } from '../testing/protocol-validation';
import { ConnectorStateManager } from './connector-state-manager';

const streamEntry = (name: string, state: unknown, namespace?: string) => ({
  type: 'STREAM',
  stream: { stream_descriptor: namespace ? { name, namespace } : { name }, stream_state: state },
});

function expectStateError(incoming: unknown): void {
  let caught: unknown;
  try {
    new ConnectorStateManager(incoming);
  } catch (error) {
    caught = error;
  }
  expect(StateParseError.isInstance(caught)).toBe(true);
  expect((caught as StateParseError).failureType).toBe('config_error');
}

describe('ConnectorStateManager', () => {
  it('reads per-stream state, with and without namespace', () => {
    const manager = new ConnectorStateManager([
      streamEntry('actors', { created_at: '2022_05_22' }, 'public'),
      streamEntry('actresses', { id: 'fake_id' }),
    ]);
    expect(manager.getStreamState('actors', 'public')).toEqual({ created_at: '2022_05_22' });
    expect(manager.getStreamState('actresses')).toEqual({ id: 'fake_id' });
    expect(manager.getStreamState('actors')).toEqual({});
    expect(manager.getStreamState('actors', 'wrong')).toEqual({});
    expect(manager.getStreamState('missing')).toEqual({});
  });

  it('reads null and empty blobs as {}', () => {
    const manager = new ConnectorStateManager([streamEntry('a', null), streamEntry('b', {})]);
    expect(manager.getStreamState('a')).toEqual({});
    expect(manager.getStreamState('b')).toEqual({});
    expect(new ConnectorStateManager([]).getStreamState('a')).toEqual({});
    expect(new ConnectorStateManager(undefined).getStreamState('a')).toEqual({});
  });

  it('accepts whole STATE messages as entries', () => {
    const manager = new ConnectorStateManager([{ type: 'STATE', state: streamEntry('a', { p: 1 }) }]);
    expect(manager.getStreamState('a')).toEqual({ p: 1 });
  });

  it('reads GLOBAL state without shared state and rejects a non-empty shared state', () => {
    const global = (shared: unknown) => [
      {
        type: 'GLOBAL',
        global: { shared_state: shared, stream_states: [streamEntry('a', { x: 1 }).stream] },
      },
    ];
    expect(new ConnectorStateManager(global(null)).getStreamState('a')).toEqual({ x: 1 });
    expect(new ConnectorStateManager(global({})).getStreamState('a')).toEqual({ x: 1 });
    expectStateError(global({ cursor: 'shared' }));
  });

  it('reads LEGACY messages and a legacy object', () => {
    expect(
      new ConnectorStateManager([{ type: 'LEGACY', data: { a: { c: 1 } } }]).getStreamState('a'),
    ).toEqual({ c: 1 });
    expect(new ConnectorStateManager({ a: { c: 2 } }).getStreamState('a')).toEqual({ c: 2 });
  });

  it.each([
    ['a number', 7],
    ['a string', 'state'],
    ['an entry that is not an object', [1]],
    ['a STREAM entry without descriptor', [{ type: 'STREAM', stream: {} }]],
    ['a stream state that is an array', [streamEntry('a', [1])]],
    ['an unknown type', [{ type: 'PER_PARTITION' }]],
    ['GLOBAL without stream_states', [{ type: 'GLOBAL', global: {} }]],
  ])('rejects %s with a StateParseError', (_label, incoming) => {
    expectStateError(incoming);
  });

  it('hands out deep copies', () => {
    const manager = new ConnectorStateManager([streamEntry('a', { nested: { n: 1 } })]);
    const copy = manager.getStreamState('a');
    (copy.nested as { n: number }).n = 99;
    expect(manager.getStreamState('a')).toEqual({ nested: { n: 1 } });
    const mine = { n: 1 };
    manager.updateStateForStream('b', undefined, mine);
    mine.n = 2;
    expect(manager.getStreamState('b')).toEqual({ n: 1 });
  });

  it('always emits STREAM messages with a blob, even for unknown or null state', () => {
    const manager = new ConnectorStateManager([streamEntry('a', null)]);
    const messages = [
      manager.createStateMessage('a', undefined, 3),
      manager.createStateMessage('nope', 'ns'),
    ];
    assertValidMessages(messages);
    expect(messages[0]).toEqual({
      type: 'STATE',
      state: {
        type: 'STREAM',
        stream: { stream_descriptor: { name: 'a' }, stream_state: {} },
        sourceStats: { recordCount: 3 },
      },
    });
    expect(messages[1]?.state.stream).toEqual({
      stream_descriptor: { name: 'nope', namespace: 'ns' },
      stream_state: {},
    });
  });
});
