// A data source module for the runner's process tests: counts 0..total-1 in batches of `n`, waiting
// `delayMs` per batch, and resumes from `source.state.next`.
// The process test points this at its private build; otherwise the package's own build is used.
const { DataSource } = require(process.env.DATASOURCE_PACKAGE_ENTRY ?? '../../dist/index.js');

class CountingSource extends DataSource {
  constructor(source, options) {
    super(source, options);
    this.next = source.state?.next ?? 0;
    delete this.source.state;
  }

  async read(batchSize) {
    if (this.next >= this.source.total) return null;
    await new Promise((resolve) => setTimeout(resolve, this.source.delayMs));
    const start = this.next;
    const end = Math.min(this.source.total, start + batchSize);
    const stateId = `from-${start}`;
    this.state(stateId, { next: end });
    this.progress(end, this.source.total, 'counting');
    this.next = end;
    const records = [];
    for (let id = start; id < end; id++) records.push({ id, __state: stateId });
    return records;
  }

  close() {
    this.log('closed');
  }
}

exports.Stream = CountingSource;
exports.CONFIG = {
  title: 'Counting source',
  icon: 'data:image/svg+xml;base64,PHN2Zy8+',
  params: [
    { name: 'total', title: 'Records', type: 'number', required: true },
    { name: 'delayMs', title: 'Delay per batch', type: 'number', default: 0 },
    { name: 'apiToken', title: 'API token', type: 'password', required: true },
  ],
};
