import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { damaged } from '../__fixtures__/json-damage';
import { StreamCdkError } from '../errors/stream-cdk-error';
import { ConnectorStateManager } from './connector-state-manager';

// Fuzzer of the state a --state file holds (STREAM, GLOBAL and LEGACY entries, whole STATE messages,
// legacy objects). Invariant: the stream states the file gives, or a StateParseError
// (CDK_STATE_INVALID); never another throw. FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

const streamName = fc.oneof(
  fc.constantFrom('items', 'events', '__proto__', 'constructor', 'a\u0000b'),
  fc.string({ minLength: 1, maxLength: 4 }),
);
const namespace = fc.option(fc.constantFrom('ns', '', '__proto__'), { nil: undefined });
const blob = fc.oneof(
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

/** One valid entry and the streams (name, namespace, state) it sets. */
const entry = fc.oneof(
  fc.tuple(streamName, namespace, blob, fc.boolean()).map(([name, ns, state, wrapped]) => {
    const payload = {
      type: 'STREAM',
      stream: {
        stream_descriptor: ns === undefined ? { name } : { name, namespace: ns },
        stream_state: state,
      },
    };
    return { raw: wrapped ? { type: 'STATE', state: payload } : payload, sets: [[name, ns, state] as const] };
  }),
  fc.array(fc.tuple(streamName, namespace, blob), { maxLength: 3 }).map((streams) => ({
    raw: {
      type: 'GLOBAL',
      global: {
        shared_state: {},
        stream_states: streams.map(([name, ns, state]) => ({
          stream_descriptor: ns === undefined ? { name } : { name, namespace: ns },
          stream_state: state,
        })),
      },
    },
    sets: streams,
  })),
  fc.array(fc.tuple(streamName, blob), { maxLength: 3 }).map((streams) => ({
    raw: { type: 'LEGACY', data: Object.fromEntries(streams) },
    sets: [...new Map(streams)].map(([name, state]) => [name, undefined, state] as const),
  })),
);

function expectStateError(error: unknown): void {
  if (!StreamCdkError.isInstance(error) || error.code !== 'CDK_STATE_INVALID') throw error;
}

describe('fuzz: incoming state (ConnectorStateManager)', () => {
  it('holds the latest state of every stream the entries name', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), (entries) => {
        // Through JSON text, as a file gives it (a `__proto__` key is then an own key).
        const manager = new ConnectorStateManager(
          JSON.parse(JSON.stringify(entries.map((item) => item.raw))),
        );
        const expected = new Map<string, unknown>();
        for (const item of entries) {
          // As JSON holds it (-0 is written as 0).
          for (const [name, ns, state] of item.sets)
            expected.set(`${ns || ''}/${name}`, JSON.parse(JSON.stringify(state ?? {})));
        }
        for (const [key, state] of expected) {
          const [ns, ...rest] = key.split('/');
          expect(manager.getStreamState(rest.join('/'), ns || undefined)).toEqual(state);
        }
      }),
      fuzzParameters(500),
    );
  });

  it('reads damaged or arbitrary state into stream states or a CDK_STATE_INVALID error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .tuple(
              fc.array(entry, { maxLength: 3 }),
              fc.array(fc.nat(), { maxLength: 6 }),
              fc.jsonValue({ maxDepth: 1 }),
            )
            .map(([entries, path, replacement]) =>
              damaged(
                entries.map((item) => item.raw),
                path,
                replacement,
              ),
            ),
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom(undefined, null),
        ),
        (state) => {
          try {
            const manager = new ConnectorStateManager(state);
            for (const message of manager.toStateMessages()) expect(message.type).toBe('STREAM');
          } catch (error) {
            expectStateError(error);
          }
        },
      ),
      fuzzParameters(500),
    );
  });
});
