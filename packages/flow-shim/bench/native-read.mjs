// Native capture path: a CaptureConnector whose single task emits the same synthetic `orders` rows as
// bench-source.mjs (count from the `open` config's `records`) with `task.captured`, and checkpoints
// every 10,000 documents, Flow responses on stdout (the `open` request arrives on stdin). Writes its
// peak RSS (VmHWM, KiB) to fd 3 at the end.
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { CaptureConnector, runCaptureConnector } = require('../dist/index.js');

const checkpointEvery = 10_000;

class OrdersCapture extends CaptureConnector {
  spec() {
    return {
      configSchema: { type: 'object', properties: { records: { type: 'integer' } } },
      resourceConfigSchema: { type: 'object' },
      documentationUrl: 'https://example.invalid/bench',
      resourcePathPointers: ['/stream'],
    };
  }
  discover() {
    return [];
  }
  validate(request) {
    return request.bindings.map(() => ({ resourcePath: ['orders'] }));
  }
  open(request) {
    const total = request.capture.config.records;
    return {
      tasks: this.tasksPerBinding(request, async (task) => {
        let next = (task.state?.updated ?? 0) + 1;
        while (next <= total && !task.stopping) {
          const id = next;
          const wait = task.captured({
            id,
            name: `customer-${id % 1000}`,
            amount: (id % 10_000) / 100,
            updated: id,
          });
          if (wait) await wait;
          next += 1;
          if (id % checkpointEvery === 0 || id === total) await task.checkpointBinding({ updated: id });
        }
      }),
    };
  }
}

const code = await runCaptureConnector(new OrdersCapture(), { argv: [] });
// VmHWM is this process image's peak RSS. process.resourceUsage().maxRSS is not used: on Linux it keeps
// the parent's RSS from the fork before exec, so it would count the bench process too.
const peakRssKiB = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1];
writeSync(3, `${peakRssKiB}\n`);
// Exit only once stdout has drained: an immediate exit drops responses still queued on the pipe.
process.stdout.write('', () => process.exit(code));
