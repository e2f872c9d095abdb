// A Flow capture that, like real ones, never exits after its data: `open` sends the documents `seq`
// from the state's `next` to `count - 1` in checkpoints of `checkpoint_every`, then `tail` more
// documents no checkpoint covers (still in flight), then stays silent until it is killed. Its pid goes
// to stderr, for the tests to check that a stopped sync leaves no process behind.
import { createInterface } from 'node:readline';

interface Config {
  token: string;
  count: number;
  checkpoint_every?: number;
  tail?: number;
  /** Waits this long before answering `open`, as a capture that must first reach its source. */
  open_delay_ms?: number;
}

const send = (response: unknown) => process.stdout.write(`${JSON.stringify(response)}\n`);
const binding = {
  recommendedName: 'ticks',
  resourceConfig: { name: 'ticks' },
  documentSchema: {
    type: 'object',
    properties: { seq: { type: 'integer' }, label: { type: 'string' } },
    required: ['seq'],
  },
  key: [],
};

const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
let opened = false;
lines.on('line', (line) => {
  if (opened) return; // acknowledgements: nothing to do
  const request = JSON.parse(line) as {
    spec?: unknown;
    discover?: unknown;
    validate?: unknown;
    open?: { capture: { config: Config }; state?: { next?: number } };
  };
  if (request.spec) {
    send({
      spec: {
        protocol: 3032023,
        configSchema: {
          type: 'object',
          properties: {
            token: { type: 'string', secret: true },
            count: { type: 'integer' },
            checkpoint_every: { type: 'integer' },
            tail: { type: 'integer' },
            open_delay_ms: { type: 'integer' },
          },
        },
        resourceConfigSchema: { type: 'object', properties: { name: { type: 'string' } } },
        documentationUrl: 'https://example.invalid/endless',
      },
    });
  } else if (request.discover) {
    send({ discovered: { bindings: [binding] } });
  } else if (request.validate) {
    send({ validated: { bindings: [{ resourcePath: ['ticks'] }] } });
  } else if (request.open) {
    opened = true;
    const {
      count,
      checkpoint_every: every = 10,
      tail = 0,
      open_delay_ms: delay = 0,
    } = request.open.capture.config;
    let next = request.open.state?.next ?? 0;
    process.stderr.write(`pid ${process.pid}\n`);
    const sleepUntil = Date.now() + delay;
    while (Date.now() < sleepUntil) {
      // busy on purpose: nothing is sent while the capture "connects"
    }
    send({ opened: { explicitAcknowledgements: true } });
    while (next < count) {
      const end = Math.min(next + every, count);
      for (; next < end; next += 1)
        send({ captured: { binding: 0, doc: { seq: next, label: `tick ${next}` } } });
      send({ checkpoint: { state: { updated: { next }, mergePatch: true } } });
    }
    for (let seq = count; seq < count + tail; seq += 1)
      send({ captured: { binding: 0, doc: { seq, label: `tick ${seq}` } } });
    // Runs on, as a capture waiting for new data does.
    setInterval(() => undefined, 60_000);
  }
  // After spec, discover or validate, the process ends with its input.
});
