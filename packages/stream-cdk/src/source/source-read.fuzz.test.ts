import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { damaged, jsonDamageArbitrary } from '../__fixtures__/json-damage';
import { SampleSource } from '../__fixtures__/sample-source';
import { StreamCdkError } from '../errors/stream-cdk-error';
import type { AirbyteMessage } from '../protocol/airbyte-protocol';

// Fuzzer of what a read takes from outside besides the config: the configured catalog (--catalog) and
// the state (--state), valid, damaged and arbitrary, read by a source whose streams never fail on their
// own. Invariant: the read completes, or fails with a StreamCdkError (bad catalog or state, or a stream
// that failed because of them); never another throw, and every ERROR trace carries a CDK error code
// (an untyped throw inside the CDK would not). FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

const source = new SampleSource();
const config = { api_key: 'key', page_count: 2 };

const configuredStream = fc.record(
  {
    stream: fc.record(
      {
        name: fc.constantFrom('items', 'events'),
        namespace: fc.constant(''),
        json_schema: fc.constant({}),
        supported_sync_modes: fc.constant(['full_refresh', 'incremental']),
      },
      { requiredKeys: ['name', 'json_schema', 'supported_sync_modes'] },
    ),
    sync_mode: fc.constantFrom('full_refresh', 'incremental'),
    destination_sync_mode: fc.constantFrom('append', 'overwrite'),
    cursor_field: fc.array(fc.constantFrom('id', 'page', 'missing'), { maxLength: 2 }),
    primary_key: fc.constant([['id']]),
  },
  { requiredKeys: ['stream', 'sync_mode', 'destination_sync_mode'] },
);

const catalog = fc
  .uniqueArray(configuredStream, { maxLength: 2, selector: (stream) => stream.stream.name })
  .map((streams) => ({ streams }));

const state = fc.array(
  fc.record({
    type: fc.constant('STREAM'),
    stream: fc.record({
      stream_descriptor: fc.record({ name: fc.constantFrom('items', 'events') }),
      stream_state: fc.oneof(
        fc.constant(null),
        fc.record({ page: fc.integer({ min: -1, max: 3 }) }),
        fc.record({ id: fc.oneof(fc.integer({ min: -1, max: 9 }), fc.string({ maxLength: 2 })) }),
        fc.record({ __ab_no_cursor_state_message: fc.constant(true) }),
        fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
      ),
    }),
  }),
  { maxLength: 2 },
);

/**
 * Messages read before a case stops: a state may send the sample source paging from -2^53 upwards, a
 * read the CDK cannot tell from a long one (seen at 20,000 runs: the collected messages filled the heap).
 */
const maxMessages = 500;

async function readAll(catalogValue: unknown, stateValue: unknown): Promise<AirbyteMessage[]> {
  const messages: AirbyteMessage[] = [];
  for await (const message of source.read(config, catalogValue as never, stateValue)) {
    messages.push(message);
    if (messages.length >= maxMessages) break;
  }
  return messages;
}

describe('fuzz: configured catalog and state of a read', () => {
  it('reads, or fails with a StreamCdkError, for any catalog and state', async () => {
    await fc.assert(
      fc.asyncProperty(
        catalog,
        state,
        jsonDamageArbitrary,
        jsonDamageArbitrary,
        async (catalogValue, stateValue, catalogDamage, stateDamage) => {
          const catalogInput =
            catalogDamage === undefined ? catalogValue : damaged(catalogValue, ...catalogDamage);
          const stateInput = stateDamage === undefined ? stateValue : damaged(stateValue, ...stateDamage);
          const messages: AirbyteMessage[] = [];
          let failure: unknown;
          try {
            for await (const message of source.read(config, catalogInput as never, stateInput)) {
              messages.push(message);
              if (messages.length >= maxMessages) break;
            }
          } catch (error) {
            failure = error;
          }
          if (failure !== undefined && !StreamCdkError.isInstance(failure)) throw failure;
          for (const message of messages) {
            if (message.type === 'TRACE' && message.trace.type === 'ERROR') {
              // A typed CDK error (its code leads the message): a bad catalog or state, or the page loop
              // guard stopping a stream that a hostile state sent in circles. An untyped throw has no code.
              expect(message.trace.error.message).toMatch(/^\[CDK_[A-Z_]+\] /);
            }
          }
          if (catalogDamage === undefined && stateDamage === undefined) expect(failure).toBeUndefined();
        },
      ),
      fuzzParameters(200),
    );
  });

  it('reads arbitrary JSON as a catalog or state into a read or a StreamCdkError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.boolean(), async (value, asCatalog) => {
        try {
          await readAll(asCatalog ? value : { streams: [] }, asCatalog ? undefined : value);
        } catch (error) {
          if (!StreamCdkError.isInstance(error)) throw error;
        }
      }),
      fuzzParameters(200),
    );
  });
});
