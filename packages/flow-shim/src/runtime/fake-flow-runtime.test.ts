import { SampleCdkSource } from '../__fixtures__/cdk-sample-source';
import { AirbyteCaptureShim } from '../airbyte/airbyte-capture-shim';
import { StreamCdkAirbyteDriver } from '../airbyte/stream-cdk-airbyte-driver';
import { CaptureConnector, type CapturePlan } from '../connector/capture-connector';
import { FlowConfigError } from '../errors/flow-config-error';
import type { OpenRequest, ValidateRequest } from '../protocol/capture-request';
import { FakeFlowRuntime } from './fake-flow-runtime';

class Counter extends CaptureConnector {
  spec() {
    return {
      configSchema: {},
      resourceConfigSchema: {},
      documentationUrl: '',
      resourcePathPointers: ['/name'],
    };
  }
  discover() {
    return ['a', 'b'].map((name) => ({
      recommendedName: name,
      resourceConfig: { name },
      documentSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      key: ['/id'],
    }));
  }
  validate(request: ValidateRequest) {
    return request.bindings.map((binding) => ({
      resourcePath: [String((binding.resourceConfig as { name: string }).name)],
    }));
  }
  open(request: OpenRequest): CapturePlan {
    return {
      tasks: this.tasksPerBinding(request, async (task) => {
        let offset = (task.state as { offset?: number } | undefined)?.offset ?? 0;
        while (offset < 9 && !task.stopping) {
          task.captured({ id: `${task.stateKey}-${offset}` });
          offset += 1;
          if (offset % 3 === 0) await task.checkpointBinding({ offset });
          await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    };
  }
}

describe('FakeFlowRuntime in-process mode', () => {
  it('needs exactly one of command and connector', () => {
    expect(() => new FakeFlowRuntime({})).toThrow(FlowConfigError);
    expect(() => new FakeFlowRuntime({ command: 'x', connector: new Counter() })).toThrow(FlowConfigError);
  });

  it('runs a native connector without a process: kill after k checkpoints, restart, nothing twice', async () => {
    const runtime = new FakeFlowRuntime({ connector: new Counter() });
    expect((await runtime.spec({})).protocol).toBe(3032023);
    const bindings = await runtime.discoverAndValidate();
    const first = await runtime.open(bindings, { killAfterCheckpoints: 3 });
    expect(first.stoppedByRuntime).toBe(true);
    expect(first.checkpoints).toHaveLength(3);
    const second = await runtime.open(bindings);
    expect(second.failure).toBeUndefined();
    expect(second.exitCode).toBe(0);
    const ids = [...first.documents, ...second.documents].map((document) => String(document.doc.id));
    expect(ids).toHaveLength(18);
    expect(new Set(ids).size).toBe(18);
    expect(runtime.state).toEqual({ bindingStateV1: { a: { offset: 9 }, b: { offset: 9 } } });
  });

  it('runs the in-process Airbyte shim around a stream-cdk source', async () => {
    const shim = new AirbyteCaptureShim(new StreamCdkAirbyteDriver(new SampleCdkSource()), {
      mergePatch: false,
    });
    const runtime = new FakeFlowRuntime({ connector: shim, config: { customers: 3, pages: 2, pageSize: 1 } });
    const bindings = await runtime.discoverAndValidate();
    const session = await runtime.open(bindings);
    expect(session.failure).toBeUndefined();
    expect(
      session.documents.map(({ binding, doc }) => [
        binding,
        doc.id ?? doc.item,
        (doc._meta as { row_id: number }).row_id,
      ]),
    ).toEqual([
      [0, 1, 1],
      [0, 2, 2],
      [0, 3, 3],
      [1, 0, 1],
      [1, 1, 2],
    ]);
    expect(session.checkpoints.every((checkpoint) => !checkpoint.mergePatch)).toBe(true);
    expect(Object.keys(runtime.state.bindingStateV1 as object)).toEqual(['customers']);
  });
});
