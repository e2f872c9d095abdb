// Demo of @connectors/http-api-flow: the sample HTTP API source run as an Estuary Flow capture by
// @sdk/flow-shim, driven by the shim's fake Flow runtime exactly as Flow runs a local connector (one
// process per RPC, JSON lines). The first capture session is killed with SIGKILL halfway through its
// checkpoints; the runtime reopens the capture with the state it committed, and the demo checks that
// every document was committed once (regions, a plain full refresh, is captured whole again).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { createHttpApiCapture } = require('../dist/index.js');
const { FakeFlowRuntime } = require('@sdk/flow-shim');
const { startSampleApi } = require('@connectors/sample-api');
const connector = join(here, '..', 'dist', 'bin', 'http-api-flow.js');
const tty = process.stdout.isTTY === true;

const apiOptions = {
  customers: 80,
  orders: 3_000,
  rateLimitEvery: 30,
  retryAfterSeconds: 1,
  failEvery: 9,
  latencyMs: 2,
};
const pageSize = 100;

/** A bar redrawn in place on a terminal; a plain line per quarter otherwise. */
function progressBar(label) {
  let lastQuarter = -1;
  return {
    update(fraction, note) {
      const clamped = Math.max(0, Math.min(fraction, 1));
      if (tty) {
        const filled = Math.round(clamped * 30);
        process.stdout.write(
          `\r    ${label} [${'#'.repeat(filled)}${'-'.repeat(30 - filled)}] ${String(Math.round(clamped * 100)).padStart(3)}% ${note}   `,
        );
        return;
      }
      const quarter = Math.floor(clamped * 4);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        console.log(`    ${label}: ${Math.round(clamped * 100)}% (${note})`);
      }
    },
    end() {
      if (tty) process.stdout.write('\n');
    },
  };
}

/**
 * Runs one session while a bar follows the API's successful answers against the number a whole
 * sweep needs (the session reports nothing until it ends, but the API counts every request).
 */
async function session(label, flow, bindings, api, requestsPerSweep, options) {
  const answered = () => api.stats.requests - api.stats.rateLimited - api.stats.failed;
  const before = { ...api.stats, answered: answered() };
  const bar = progressBar(label);
  const timer = setInterval(() => {
    const done = answered() - before.answered;
    bar.update(done / requestsPerSweep, `${done}/${requestsPerSweep} API pages`);
  }, 100);
  const started = performance.now();
  const result = await flow.open(bindings, options);
  clearInterval(timer);
  const done = answered() - before.answered;
  bar.update(result.stoppedByRuntime ? done / requestsPerSweep : 1, `${done}/${requestsPerSweep} API pages`);
  bar.end();
  const seconds = (performance.now() - started) / 1000;
  return {
    result,
    seconds,
    requests: api.stats.requests - before.requests,
    rateLimited: api.stats.rateLimited - before.rateLimited,
    failed: api.stats.failed - before.failed,
  };
}

const api = await startSampleApi(apiOptions);
let failed = false;
try {
  const started = performance.now();
  const { data } = api;
  const spec = await createHttpApiCapture().spec({});
  const config = {
    base_url: api.url,
    client_id: api.credentials.clientId,
    client_secret: api.credentials.clientSecret,
    refresh_token: api.credentials.refreshToken,
    page_size: pageSize,
    retry_base_delay_ms: 200,
  };
  const flow = new FakeFlowRuntime({
    command: process.execPath,
    args: [connector],
    config,
    timeoutMs: 50_000,
  });
  console.log('HTTP API source as an Estuary Flow capture, with checkpoints');
  console.log(
    `  sample API on ${api.url}: ${data.customers.length} customers, ${data.orders.length} orders, ${data.notes.length} notes; every ${apiOptions.rateLimitEvery}th request 429 (Retry-After ${apiOptions.retryAfterSeconds}s), every ${apiOptions.failEvery}th of the rest 500`,
  );
  const bindings = await flow.discoverAndValidate();
  const schema = spec.configSchema ?? {};
  const auth = (schema.anyOf ?? []).map((option) => option.required.join('+')).join(' or ');
  console.log(
    `  spec/discover/validate: config needs ${(schema.required ?? []).join(', ')} and ${auth}; bindings ${bindings.map((binding) => `${binding.resourcePath.join('/')} (key ${binding.key.join(',')})`).join(', ')}`,
  );

  // What one sweep asks the API for, and how many checkpoints it commits.
  const pages = (count) => Math.max(1, Math.ceil(count / pageSize));
  const notesPerCustomer = data.customers.map(
    (customer) => data.notes.filter((note) => note.customer_id === customer.id).length,
  );
  const requestsPerSweep =
    1 +
    2 * pages(data.customers.length) +
    pages(data.orders.length) +
    notesPerCustomer.reduce((sum, count) => sum + pages(count), 0);
  const checkpointsPerSweep =
    1 + pages(data.customers.length) + pages(data.orders.length) + data.customers.length;
  const killAfter = Math.floor(checkpointsPerSweep / 2);

  const nameOf = (document) => bindings[document.binding]?.resourcePath.join('/') ?? '?';
  const countBy = (documents) => {
    const counts = new Map();
    for (const document of documents) counts.set(nameOf(document), (counts.get(nameOf(document)) ?? 0) + 1);
    return bindings
      .map(
        (binding) => `${binding.resourcePath.join('/')} ${counts.get(binding.resourcePath.join('/')) ?? 0}`,
      )
      .join(', ');
  };
  const describe = (run) =>
    `${run.result.documents.length} documents in ${run.seconds.toFixed(2)} s (${Math.round(run.result.documents.length / run.seconds)} docs/s), ${run.result.checkpoints.length} checkpoints committed, ${run.requests} API requests, retries: ${run.rateLimited} after 429 + ${run.failed} after 500`;

  const first = await session('session 1', flow, bindings, api, requestsPerSweep, {
    killAfterCheckpoints: killAfter,
  });
  if (!first.result.stoppedByRuntime)
    throw new Error(`session 1 ended by itself (exit ${first.result.exitCode})`);
  console.log(
    `  session 1, killed with SIGKILL after checkpoint ${killAfter} of about ${checkpointsPerSweep}: ${describe(first)}`,
  );
  console.log(
    `    committed per binding: ${countBy(first.result.documents)}; ${first.result.discardedDocuments} uncommitted documents discarded`,
  );

  const second = await session('session 2', flow, bindings, api, requestsPerSweep, {});
  if (second.result.failure) throw second.result.failure;
  console.log(`  session 2, reopened with the committed state: ${describe(second)}`);
  console.log(
    `    committed per binding: ${countBy(second.result.documents)}; exit code ${second.result.exitCode}`,
  );

  const expected = {
    regions: data.regions.map((region) => region.code),
    customers: data.customers.map((customer) => customer.id),
    orders: data.orders.map((order) => order.id),
    customer_notes: data.notes.map((note) => note.id),
  };
  const problems = [];
  const lines = [];
  for (const [name, keys] of Object.entries(expected)) {
    const key = (document) => (name === 'regions' ? document.doc.code : document.doc.id);
    const pick = (documents) => documents.filter((document) => nameOf(document) === name).map(key);
    const got =
      name === 'regions'
        ? pick(second.result.documents)
        : [...pick(first.result.documents), ...pick(second.result.documents)];
    const unique = new Set(got);
    const lost = keys.filter((k) => !unique.has(k)).length;
    const repeated = got.length - unique.size;
    lines.push(`${name} ${unique.size}/${keys.length}`);
    if (lost || repeated || unique.size !== keys.length)
      problems.push(`${name}: ${lost} lost, ${repeated} repeated`);
  }
  console.log(
    `  verified: ${lines.join(', ')}; ${((performance.now() - started) / 1000).toFixed(1)} s in all`,
  );
  if (problems.length > 0) {
    failed = true;
    console.error(`  FAILED: ${problems.join('; ')}`);
  } else {
    console.log(
      '  OK: no document lost, none committed twice (regions, a plain full refresh, captured whole again by design)',
    );
  }
} catch (error) {
  failed = true;
  console.error(`  FAILED: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await api.close();
}
process.exitCode = failed ? 1 : 0;
