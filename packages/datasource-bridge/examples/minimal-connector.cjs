// A minimal Panoply-style DataSource served as an Airbyte source with @sdk/datasource-bridge: discover
// infers the schema, read emits RECORD and STATE messages, and a second read resumes from the last STATE.
// Shared by minimal.cjs (require) and minimal.mjs (import), which hand it the loaded packages.
module.exports = async function runMinimalConnector({ bridge, datasource }) {
  const { dataSourceAsSource } = bridge;
  const { DataSource } = datasource;

  class Numbers extends DataSource {
    #next = this.source.state?.next ?? 0;

    read(batchSize = 100) {
      const total = Number(this.source.total);
      if (this.#next >= total) return null;
      const end = Math.min(total, this.#next + batchSize);
      const stateId = `numbers-${end}`;
      this.state(stateId, { next: end });
      const batch = [];
      for (let value = this.#next; value < end; value += 1)
        batch.push({ value, half: value / 2, __state: stateId });
      this.#next = end;
      return batch;
    }
  }
  const module = {
    Stream: Numbers,
    CONFIG: { title: 'Numbers', params: [{ name: 'total', type: 'number', default: 250 }] },
  };

  const source = dataSourceAsSource(module, { batchSize: 100 });
  const catalog = await source.discover({});
  const configured = {
    streams: catalog.streams.map((stream) => ({
      stream,
      sync_mode: 'incremental',
      destination_sync_mode: 'append',
    })),
  };
  const first = [];
  for await (const message of source.read({}, configured)) first.push(message);
  const states = first.filter((message) => message.type === 'STATE').map((message) => message.state);
  const second = [];
  for await (const message of source.read({ total: 300 }, configured, [states.at(-1)])) second.push(message);
  const count = (messages) => messages.filter((message) => message.type === 'RECORD').length;
  if (count(first) !== 250 || count(second) !== 50)
    throw new Error(`read ${count(first)} then ${count(second)} records`);
  console.log(
    `stream ${catalog.streams[0].name} (${Object.keys(catalog.streams[0].json_schema.properties).join(', ')}): ${count(first)} records, then ${count(second)} more from the saved state`,
  );
};
