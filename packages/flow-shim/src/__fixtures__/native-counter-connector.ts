// A small native capture for tests: each binding (resource `{ "name": "..." }`) counts documents
// `{ id, name, n }` from its saved offset up to `documentsPerBinding`, checkpointing every
// `checkpointEvery` documents with the merge patch `{ offset }` under its stateKey.
import { CaptureConnector, type CapturePlan, type CaptureTask, main, type OpenRequest } from '../index';

interface CounterConfig {
  documentsPerBinding?: number;
  checkpointEvery?: number;
  delayMs?: number;
  explicitAcknowledgements?: boolean;
  failAtDocument?: number;
}

class CounterConnector extends CaptureConnector {
  spec() {
    return {
      configSchema: {
        type: 'object',
        properties: { documentsPerBinding: { type: 'integer' }, checkpointEvery: { type: 'integer' } },
      },
      resourceConfigSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      documentationUrl: 'https://example.invalid/counter',
      resourcePathPointers: ['/name'],
    };
  }

  discover() {
    return ['alpha', 'beta'].map((name) => ({
      recommendedName: name,
      resourceConfig: { name },
      documentSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      key: ['/id'],
    }));
  }

  validate(request: { bindings: Array<{ resourceConfig: unknown }> }) {
    return request.bindings.map((binding) => ({
      resourcePath: [String((binding.resourceConfig as { name: string }).name)],
    }));
  }

  open(request: OpenRequest): CapturePlan {
    const config = request.capture.config as CounterConfig;
    const total = config.documentsPerBinding ?? 10;
    const every = config.checkpointEvery ?? 3;
    const delayMs = config.delayMs ?? 0;
    // A library printing to stdout must not corrupt the protocol stream: the runner routes it to stderr.
    // biome-ignore lint/suspicious/noConsole: deliberately rogue print for the test.
    console.log('rogue library print');
    return {
      explicitAcknowledgements: config.explicitAcknowledgements === true,
      tasks: this.tasksPerBinding(request, async (task: CaptureTask) => {
        const resource = request.capture.bindings[task.binding ?? 0]?.resourceConfig as
          | { name?: string }
          | undefined;
        const name = String(resource?.name);
        let offset = (task.state as { offset?: number } | undefined)?.offset ?? 0;
        while (offset < total && !task.stopping) {
          if (config.failAtDocument === offset)
            throw new Error(`source for '${name}' broke at document ${offset}`);
          await task.captured({ id: `${name}-${offset}`, name, n: offset });
          offset += 1;
          if (offset % every === 0 || offset === total) {
            await task.checkpointBinding(
              { offset },
              { awaitAcknowledgement: config.explicitAcknowledgements === true },
            );
            if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          }
        }
      }),
    };
  }
}

main(new CounterConnector());
