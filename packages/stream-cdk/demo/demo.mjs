// Demo of @sdk/stream-cdk: a sample source read through its CLI, killed midway (SIGKILL), and resumed
// from the last STATE it emitted. The consumer behaves like an Airbyte destination: records count as
// committed only once a later STATE of their stream arrives; whatever came after the last STATE is
// dropped when the source dies. The check: every record committed exactly once across both runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'stream-cdk-demo-'));
const config = { pages: 8, page_size: 250, page_delay_ms: 15 };
const expectedTickets = config.pages * config.page_size;
const expectedEvents = 4 * config.page_size;

function file(name, value) {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const catalog = {
  streams: [
    {
      stream: { name: 'tickets', json_schema: {}, supported_sync_modes: ['full_refresh'] },
      sync_mode: 'full_refresh',
      destination_sync_mode: 'overwrite',
    },
    {
      stream: { name: 'events', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
      sync_mode: 'incremental',
      destination_sync_mode: 'append',
    },
  ],
};

/**
 * Runs one read. `killAfterStates` kills the child (SIGKILL) once that many STATE lines arrived and
 * 100 more records came after them, so some records are in flight when it dies.
 * Returns committed records per stream, the last state per stream, and what was dropped.
 */
function read(statePath, killAfterStates) {
  return new Promise((resolve, reject) => {
    const args = [
      join(here, 'demo-source.mjs'),
      'read',
      '--config',
      file('config.json', config),
      '--catalog',
      file('catalog.json', catalog),
    ];
    if (statePath) args.push('--state', statePath);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const pending = new Map();
    const committed = [];
    const lastState = new Map();
    let received = 0;
    let states = 0;
    let afterLastState = 0;
    let killed = false;
    let tail = '';
    child.stdout.on('data', (chunk) => {
      const lines = (tail + chunk.toString('utf8')).split('\n');
      tail = lines.pop();
      for (const line of lines) {
        if (killed) return;
        const message = JSON.parse(line);
        if (message.type === 'RECORD') {
          received++;
          const list = pending.get(message.record.stream) ?? [];
          list.push(message.record.data.id);
          pending.set(message.record.stream, list);
          if (killAfterStates !== undefined && states >= killAfterStates && ++afterLastState >= 100) {
            killed = true;
            child.kill('SIGKILL');
          }
        } else if (message.type === 'STATE') {
          const name = message.state.stream.stream_descriptor.name;
          for (const id of pending.get(name) ?? []) committed.push(`${name}:${id}`);
          pending.set(name, []);
          lastState.set(name, { type: 'STREAM', stream: message.state.stream });
          states++;
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const dropped = [...pending.values()].reduce((sum, list) => sum + list.length, 0);
      resolve({ code, signal, committed, received, dropped, lastState });
    });
  });
}

const started = performance.now();
try {
  const first = await read(undefined, 4);
  if (first.signal !== 'SIGKILL')
    throw new Error(`expected the first run to be killed, got code ${first.code}`);
  const statePath = file('state.json', [...first.lastState.values()]);
  const second = await read(statePath, undefined);
  if (second.code !== 0) throw new Error(`resumed run exited with ${second.code}`);

  const all = [...first.committed, ...second.committed];
  const unique = new Set(all);
  const tickets = all.filter((key) => key.startsWith('tickets:')).length;
  const events = all.filter((key) => key.startsWith('events:')).length;
  const duplicates = all.length - unique.size;
  const resumedFrom = JSON.stringify(first.lastState.get('tickets')?.stream.stream_state);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);

  console.log('Airbyte stream CDK: read, interrupt, resume from state');
  console.log(
    `  run 1: killed with SIGKILL 100 records after its 4th STATE; ${first.received} records received, ${first.committed.length} committed, ${first.dropped} after the last STATE dropped`,
  );
  console.log(
    `  run 2: --state from run 1 (tickets resumes at ${resumedFrom}); ${second.received} records received, exit code ${second.code}`,
  );
  console.log(
    `  committed: tickets ${tickets}/${expectedTickets}, events ${events}/${expectedEvents}, duplicates ${duplicates}, ${seconds}s total`,
  );
  if (tickets !== expectedTickets || events !== expectedEvents || duplicates !== 0) {
    console.error('  FAILED: records lost or duplicated');
    process.exitCode = 1;
  } else {
    console.log('  OK: no record lost, none committed twice');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
