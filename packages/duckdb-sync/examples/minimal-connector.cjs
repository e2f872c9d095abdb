// A minimal local sync with @sdk/duckdb-sync: an Airbyte-protocol source of numbers (@sdk/stream-cdk)
// synced into a DuckDB file, synced again incrementally from the state kept in the same file, then queried.
// Shared by minimal.cjs (require) and minimal.mjs (import), which hand it the loaded packages.
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function runMinimalConnector({ duckdbSync, cdk }) {
  const { queryDatabase, syncSource } = duckdbSync;
  const { Source, Stream } = cdk;

  class NumbersStream extends Stream {
    name = 'numbers';
    #state = {};
    constructor(total) {
      super();
      this.total = total;
    }
    get state() {
      return this.#state;
    }
    set state(value) {
      this.#state = value;
    }
    get cursorField() {
      return ['value'];
    }
    get primaryKey() {
      return 'value';
    }
    getJsonSchema() {
      return { type: 'object', properties: { value: { type: 'integer' }, label: { type: 'string' } } };
    }
    *readRecords() {
      const from = typeof this.#state.value === 'number' ? this.#state.value + 1 : 0;
      for (let value = from; value < this.total; value += 1) {
        yield { value, label: `n${value}` };
        this.#state = { value };
      }
    }
  }

  class NumbersSource extends Source {
    spec() {
      return { connectionSpecification: { type: 'object', properties: { total: { type: 'integer' } } } };
    }
    async checkConnection() {
      return { succeeded: true };
    }
    streams(config) {
      return [new NumbersStream(config.total)];
    }
  }

  const dir = mkdtempSync(join(tmpdir(), 'duckdb-sync-example-'));
  try {
    const dbPath = join(dir, 'numbers.duckdb');
    await syncSource({ source: new NumbersSource(), config: { total: 100 }, dbPath });
    await syncSource({ source: new NumbersSource(), config: { total: 150 }, dbPath });
    const result = await queryDatabase(dbPath, 'select count(*) as rows, max(value) as last from numbers');
    const [rows, last] = result.rows[0];
    if (rows !== '150' || last !== '149') throw new Error(`unexpected table: ${JSON.stringify(result.rows)}`);
    console.log(`synced numbers into DuckDB twice (the second run incremental): ${rows} rows, last ${last}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
