// A minimal Estuary Flow capture with @sdk/flow-shim: one binding that counts to
// 100 and checkpoints every 10 documents, driven in-process by the fake runtime, killed after three
// checkpoints and reopened with the state the runtime kept.
// Shared by minimal.cjs (require) and minimal.mjs (import), which hand it the loaded package.
module.exports = async function runMinimalConnector({ sdk }) {
  const { CaptureConnector, FakeFlowRuntime } = sdk;
  class CounterCapture extends CaptureConnector {
    spec() {
      return {
        configSchema: { type: 'object' },
        resourceConfigSchema: {
          type: 'object',
          properties: { name: { type: 'string' } },
          required: ['name'],
        },
        documentationUrl: 'https://example.com/docs',
        resourcePathPointers: ['/name'],
      };
    }
    discover() {
      return [
        {
          recommendedName: 'numbers',
          resourceConfig: { name: 'numbers' },
          // Flow builds a collection only when its key is required and keyable (here an integer).
          documentSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
          key: ['/n'],
        },
      ];
    }
    validate(request) {
      return request.bindings.map((binding) => ({ resourcePath: [binding.resourceConfig.name] }));
    }
    open(request) {
      return {
        explicitAcknowledgements: false,
        tasks: this.tasksPerBinding(request, async (task) => {
          let next = task.state?.next ?? 0;
          while (next < 100 && !task.stopping) {
            await task.captured({ n: next });
            next += 1;
            if (next % 10 === 0) await task.checkpointBinding({ next });
          }
        }),
      };
    }
  }

  const runtime = new FakeFlowRuntime({ connector: new CounterCapture(), config: {} });
  const bindings = await runtime.discoverAndValidate();
  const first = await runtime.open(bindings, { killAfterCheckpoints: 3 });
  const second = await runtime.open(bindings);
  const numbers = [...first.documents, ...second.documents].map((document) => document.doc.n);
  const unique = new Set(numbers);
  if (unique.size !== 100 || numbers.length !== 100)
    throw new Error(`got ${numbers.length} documents, ${unique.size} distinct`);
  console.log(
    `captured ${first.documents.length} + ${second.documents.length} documents across a restart, none twice`,
  );
};
