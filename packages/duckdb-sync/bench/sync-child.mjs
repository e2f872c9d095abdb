// One measurement per process: `node sync-child.mjs <mode> <count> <dir>` prints one JSON line
// { mode, count, ms, maxRssMB, rows }.
//   duckdb-command   sdk-duckdb-sync's syncSourceCommand driving `node bench-source.mjs` into <dir>/bench.duckdb
//   jsonl-command    the same command's `read` writing its JSON lines to <dir>/out.jsonl (the baseline)
//   duckdb-inprocess syncSource over BenchSource in this process
//   jsonl-inprocess  BenchSource.readBatches in this process, records written as JSON lines to a file
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchSource } from './bench-source.mjs';

const require = createRequire(import.meta.url);
const { configureCatalog, queryDatabase, syncSource, syncSourceCommand } = require('../dist/index.js');
const { toJsonText } = require('@sdk/stream-cdk');

const here = dirname(fileURLToPath(import.meta.url));
const [mode, countText, dir] = process.argv.slice(2);
const count = Number(countText);
const config = { count, slice_size: 2_000, token: 'bench-secret' };
const configPath = join(dir, 'config.json');
writeFileSync(configPath, JSON.stringify(config));
const dbPath = join(dir, 'bench.duckdb');
const command = [process.execPath, join(here, 'bench-source.mjs')];

function maxRssMB() {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmHWM:'));
  return Number(line.replace(/\D+/g, '')) / 1024;
}

async function writeLines(path, lines) {
  const out = createWriteStream(path);
  let written = 0;
  for await (const line of lines) {
    written += 1;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}

const started = performance.now();
let rows;
if (mode === 'duckdb-command') {
  await syncSourceCommand({ dbPath, configPath, command });
  rows = Number((await queryDatabase(dbPath, 'select count(*) from orders')).rows[0][0]);
} else if (mode === 'jsonl-command') {
  const source = new BenchSource();
  const catalogPath = join(dir, 'catalog.json');
  writeFileSync(catalogPath, JSON.stringify(configureCatalog(await source.discover(config))));
  const child = spawn(command[0], [command[1], 'read', '--config', configPath, '--catalog', catalogPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out = createWriteStream(join(dir, 'out.jsonl'));
  child.stdout.pipe(out);
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`bench source exited ${code}`);
  rows = readFileSync(join(dir, 'out.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"RECORD"')).length;
} else if (mode === 'duckdb-inprocess') {
  await syncSource({ dbPath, source: new BenchSource(), config });
  rows = Number((await queryDatabase(dbPath, 'select count(*) from orders')).rows[0][0]);
} else if (mode === 'jsonl-inprocess') {
  const source = new BenchSource();
  const catalog = configureCatalog(await source.discover(config));
  rows = 0;
  async function* lines() {
    for await (const batch of source.readBatches(config, catalog)) {
      for (const message of batch) {
        if (message.type === 'RECORD') rows += 1;
        yield `${toJsonText(message)}\n`;
      }
    }
  }
  await writeLines(join(dir, 'out.jsonl'), lines());
} else {
  throw new Error(
    'usage: sync-child.mjs duckdb-command|jsonl-command|duckdb-inprocess|jsonl-inprocess <count> <dir>',
  );
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ mode, count, ms, maxRssMB: maxRssMB(), rows })}\n`);
