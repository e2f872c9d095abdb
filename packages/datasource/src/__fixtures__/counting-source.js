// A data source module for the runner's process tests: counts 0..total-1 in batches of `n`, waiting
// `delayMs` per batch, and resumes from `source.state.next`. `poison` puts a NaN or a cycle into the
// record `poisonAt`; the option `reportPath` makes it write the options it was given to that file.
// The process tests point this at their private build; otherwise the package's own build is used.
const { writeFileSync } = require('node:fs');
const { DataSource } = require(process.env.DATASOURCE_PACKAGE_ENTRY ?? '../../dist/index.js');

class CountingSource extends DataSource {
  constructor(source, options) {
    super(source, options);
    this.next = source.state?.next ?? 0;
    delete this.source.state;
    if (typeof options.reportPath === 'string') {
      const { logger, ...given } = options;
      writeFileSync(options.reportPath, JSON.stringify({ options: given, destination: source.destination }));
    }
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
    for (let id = start; id < end; id++) {
      const record = { id, __state: stateId };
      if (id === this.source.poisonAt && this.source.poison === 'nan') record.value = Number.NaN;
      if (id === this.source.poisonAt && this.source.poison === 'cycle') record.self = record;
      records.push(record);
    }
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
    {
      name: 'poison',
      title: 'Bad value',
      type: 'list',
      default: 'none',
      values: [
        { name: 'none', value: 'none' },
        { name: 'NaN', value: 'nan' },
        { name: 'cycle', value: 'cycle' },
      ],
    },
    { name: 'poisonAt', title: 'Record with the bad value', type: 'number', default: -1 },
    { name: 'type', title: 'Source type', default: 'counting' },
  ],
};
