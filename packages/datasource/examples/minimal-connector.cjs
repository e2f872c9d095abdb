// A minimal Panoply-style data source with @sdk/datasource: 250 records in
// batches of 100, each batch tagged with the state id reported before it, run into a JSON-lines file.
// Shared by minimal.cjs (require) and minimal.mjs (import), which hand it the loaded package.
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function runMinimalConnector({ sdk }) {
  const { DataSource, createJsonLinesFileSink, runDataSource } = sdk;

  class Numbers extends DataSource {
    #next = this.source.state?.next ?? 0;

    async read(batchSize = 100) {
      if (this.#next >= 250) return null;
      const end = Math.min(250, this.#next + batchSize);
      const stateId = `numbers-${end}`;
      this.state(stateId, { next: end });
      const batch = [];
      for (let value = this.#next; value < end; value += 1) batch.push({ value, __state: stateId });
      this.#next = end;
      return batch;
    }
  }

  const dir = mkdtempSync(join(tmpdir(), 'datasource-example-'));
  try {
    const filePath = join(dir, 'numbers.jsonl');
    const sink = createJsonLinesFileSink({ filePath });
    const summary = await runDataSource({
      module: { Stream: Numbers, CONFIG: { title: 'Numbers', params: [] } },
      params: {},
      sink,
      stateFilePath: join(dir, 'numbers.state.json'),
      batchSize: 100,
      progress: 'none',
    });
    await sink.close();
    const lines = readFileSync(filePath, 'utf8').trim().split('\n');
    if (summary.recordCount !== 250 || lines.length !== 250) throw new Error(`wrote ${lines.length} records`);
    console.log(`wrote ${lines.length} records; saved state ${JSON.stringify(summary.state)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
