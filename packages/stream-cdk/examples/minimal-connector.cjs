// A minimal Airbyte source with @sdk/stream-cdk: one paged stream that
// checkpoints after every page, read once, then resumed from the state of an interrupted run.
// Shared by minimal.cjs (require) and minimal.mjs (import), which hand it the loaded package.
module.exports = async function runMinimalConnector({ sdk }) {
  const { Source, Stream, configuredCatalog, readSource } = sdk;
  class Pages extends Stream {
    name = 'pages';
    #state = {};
    get state() {
      return this.#state;
    }
    set state(value) {
      this.#state = value;
    }
    get primaryKey() {
      return 'id';
    }
    getJsonSchema() {
      return { type: 'object', properties: { id: { type: 'integer' } } };
    }
    async *readRecords({ streamSlice }) {
      const page = streamSlice.page ?? 1;
      for (let index = 0; index < 10; index += 1) yield { id: (page - 1) * 10 + index };
      // Resumable full refresh: the state is the next page, {} when there is none.
      this.#state = page < 3 ? { page: page + 1 } : {};
    }
  }

  class MinimalSource extends Source {
    spec() {
      return { connectionSpecification: { type: 'object', properties: {} } };
    }
    async checkConnection() {
      return { ok: true };
    }
    streams() {
      return [new Pages()];
    }
  }

  const source = new MinimalSource();
  const catalog = configuredCatalog(source.streams());
  const full = await readSource({ source, config: {}, catalog });
  const ids = full.records('pages').map((record) => record.id);
  if (full.error || ids.length !== 30) throw new Error(`expected 30 records, got ${ids.length}`);
  // Resume from the state emitted after the first page: only pages 2 and 3 are read again.
  const afterFirstPage = full.stateMessages('pages')[0].state;
  const resumed = await readSource({ source, config: {}, catalog, state: [afterFirstPage] });
  const resumedIds = resumed.records('pages').map((record) => record.id);
  if (resumedIds[0] !== 10 || resumedIds.length !== 20) throw new Error(`resume read ${resumedIds}`);
  console.log(
    `read ${ids.length} records in ${full.stateMessages().length} checkpoints; resumed with ${resumedIds.length}`,
  );
};
