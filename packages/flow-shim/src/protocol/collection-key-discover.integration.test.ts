import path from 'node:path';
import { SampleCdkSource } from '../__fixtures__/cdk-sample-source';
import { fixtureCommand } from '../__fixtures__/spawn-fixture';
import { AirbyteCaptureShim, type AirbyteCaptureShimOptions } from '../airbyte/airbyte-capture-shim';
import { ExternalAirbyteDriver } from '../airbyte/external-airbyte-driver';
import { StreamCdkAirbyteDriver } from '../airbyte/stream-cdk-airbyte-driver';
import { CaptureConnector, type CapturePlan } from '../connector/capture-connector';
import { FlowKeyError } from '../errors/flow-key-error';
import { FlowRuntimeError } from '../errors/flow-runtime-error';
import { FakeFlowRuntime } from '../runtime/fake-flow-runtime';
import { SingerCaptureShim } from '../singer/singer-capture-shim';
import type { DiscoveredBinding } from './capture-response';
import { withRequiredCollectionKey } from './collection-key';
import type { JsonObject, JsonValue } from './flow-specs';

// The key rules at `discover` on all three paths: the in-process stream-cdk shim, an Airbyte
// executable, a Singer tap, and a native capture. The fake runtime checks every discovered binding
// the way Flow checks a catalog at publish time (`assertCollectionKey`), so a discover that passes
// here produces collections Flow builds.

jest.setTimeout(60_000);

const required = (binding: DiscoveredBinding | undefined): JsonValue =>
  (binding?.documentSchema as JsonObject | undefined)?.required ?? [];

async function discoverFailure(runtime: FakeFlowRuntime): Promise<FlowRuntimeError> {
  const failure = await runtime.discover().then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!FlowRuntimeError.isInstance(failure))
    throw new Error(`expected discover to fail, got ${String(failure)}`);
  return failure;
}

describe('collection keys at discover', () => {
  describe('in-process @sdk/stream-cdk source (StreamCdkAirbyteDriver)', () => {
    const runtime = (config: JsonObject, options: AirbyteCaptureShimOptions = {}) =>
      new FakeFlowRuntime({
        connector: new AirbyteCaptureShim(
          new StreamCdkAirbyteDriver(new SampleCdkSource(), { name: 'cdk' }),
          options,
        ),
        config,
      });

    it('marks the primary key and the row id key required', async () => {
      const [customers, pages] = await runtime({}).discover();
      expect(customers?.key).toEqual(['/id']);
      expect(required(customers)).toEqual(['id']);
      expect(pages?.key).toEqual(['/_meta/row_id']);
      expect(required(pages)).toEqual(['_meta']);
    });

    it('refuses a number primary key with FLOW_INVALID_KEY naming stream, pointer and type', async () => {
      const failure = await discoverFailure(runtime({ idType: 'number' }));
      expect(failure.exitCode).toBe(1);
      expect(failure.lastLogLine).toMatch(
        /^connector failed: \[FLOW_INVALID_KEY\] stream 'customers', key '\/id' \(type number\): /,
      );
    });

    it("keys the stream by row id instead with onInvalidKey: 'row-id'", async () => {
      const flow = runtime({ idType: 'number', customers: 3 }, { onInvalidKey: 'row-id' });
      const bindings = await flow.discoverAndValidate();
      expect(bindings.map((binding) => binding.key)).toEqual([['/_meta/row_id'], ['/_meta/row_id']]);
      const session = await flow.open(bindings);
      expect(session.failure).toBeUndefined();
      expect(session.documents.filter((document) => document.binding === 0)).toHaveLength(3);
    });
  });

  it('an Airbyte executable: nested and flat primary keys become required', async () => {
    const source = fixtureCommand('airbyte-sample-source.js');
    const flow = new FakeFlowRuntime({
      connector: new AirbyteCaptureShim(new ExternalAirbyteDriver({ ...source, name: 'sample-source' })),
      config: { apiKey: 'good' },
    });
    const discovered = await flow.discover();
    expect(discovered.map((binding) => [binding.recommendedName, binding.key, required(binding)])).toEqual([
      ['users', ['/id'], ['id']],
      ['events', ['/_meta/row_id'], ['_meta']],
      ['orders', ['/order~1id'], ['order/id']],
    ]);
  });

  describe('a Singer tap (Python)', () => {
    const tap = (config: JsonObject) =>
      new FakeFlowRuntime({
        connector: new SingerCaptureShim({
          command: 'python3',
          args: [path.join(__dirname, '..', '__fixtures__', 'singer-sample-tap.py')],
          configSchema: { type: 'object' },
        }),
        config,
      });

    it('marks key properties required', async () => {
      const [customers] = await tap({}).discover();
      expect(required(customers)).toEqual(['_meta', 'id']);
    });

    it('refuses a number key property', async () => {
      const failure = await discoverFailure(tap({ idType: 'number' }));
      expect(failure.lastLogLine).toMatch(
        /\[FLOW_INVALID_KEY\] stream 'customers', key '\/id' \(type number\)/,
      );
    });
  });

  describe('a native capture', () => {
    class Native extends CaptureConnector {
      constructor(private readonly bindings: DiscoveredBinding[]) {
        super();
      }
      spec() {
        return {
          configSchema: {},
          resourceConfigSchema: {},
          documentationUrl: '',
          resourcePathPointers: ['/name'],
        };
      }
      discover() {
        return this.bindings;
      }
      validate() {
        return [];
      }
      open(): CapturePlan {
        return { tasks: [] };
      }
    }

    it('gets nested key steps marked required by the runner', async () => {
      const flow = new FakeFlowRuntime({
        connector: new Native([
          {
            recommendedName: 'events',
            resourceConfig: { name: 'events' },
            documentSchema: {
              type: 'object',
              properties: {
                tenant: { type: 'object', properties: { id: { type: 'string' } } },
                n: { type: 'integer' },
              },
            },
            key: ['/tenant/id', '/n'],
          },
        ]),
      });
      const [events] = await flow.discover();
      expect(required(events)).toEqual(['tenant', 'n']);
      expect(
        ((events?.documentSchema as JsonObject | undefined)?.properties as JsonObject | undefined)?.tenant,
      ).toMatchObject({
        required: ['id'],
      });
    });

    it.each([
      ['an object', { type: 'object' }, 'object'],
      ['an untyped', {}, 'unspecified'],
    ])('is refused at discover for %s key', async (_name, property, keyType) => {
      const native = new Native([
        {
          recommendedName: 'events',
          resourceConfig: { name: 'events' },
          documentSchema: { type: 'object', properties: { id: property as JsonValue } },
          key: ['/id'],
        },
      ]);
      const failure = await discoverFailure(new FakeFlowRuntime({ connector: native }));
      expect(failure.lastLogLine).toContain(
        `[FLOW_INVALID_KEY] stream 'events', key '/id' (type ${keyType})`,
      );
      // The same check, called directly, is a typed error.
      expect(() => native.discover().map(withRequiredCollectionKey)).toThrow(FlowKeyError);
    });
  });
});
