#!/usr/bin/env node
// A small Singer tap written for the tests (plain Node): `--config c --discover` prints a
// pretty-printed catalog; `--config c --catalog k [--state s]` syncs the selected streams.
// Streams: `customers` (INCREMENTAL on `updated_at`, key `id`) and `audit_log` (FULL_TABLE, no key).
// Config: { customers, auditLog, crashAfter }.
const fs = require('node:fs');

const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : JSON.parse(fs.readFileSync(args[index + 1], 'utf8'));
};
const emit = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const config = option('--config') ?? {};

const catalog = {
  streams: [
    {
      tap_stream_id: 'customers',
      stream: 'customers',
      key_properties: ['id'],
      replication_key: 'updated_at',
      replication_method: 'INCREMENTAL',
      schema: { type: 'object', properties: { id: { type: 'integer' }, updated_at: { type: 'integer' } } },
      metadata: [
        { breadcrumb: [], metadata: { inclusion: 'available', 'table-key-properties': ['id'] } },
        { breadcrumb: ['properties', 'id'], metadata: { inclusion: 'automatic' } },
        { breadcrumb: ['properties', 'updated_at'], metadata: { inclusion: 'available' } },
      ],
    },
    {
      tap_stream_id: 'audit_log',
      stream: 'audit_log',
      schema: { type: 'object', properties: { line: { type: 'string' } } },
      metadata: [
        { breadcrumb: [], metadata: { inclusion: 'available', 'forced-replication-method': 'FULL_TABLE' } },
      ],
    },
  ],
};

if (args.includes('--discover')) {
  process.stdout.write(`${JSON.stringify(catalog, null, 2)}\n`);
  process.exit(0);
}

const selected = option('--catalog').streams.filter(
  (entry) => entry.metadata.find((item) => item.breadcrumb.length === 0)?.metadata.selected,
);
const state = option('--state') ?? { bookmarks: {} };
let emitted = 0;
for (const entry of selected) {
  emit({
    type: 'SCHEMA',
    stream: entry.tap_stream_id,
    schema: entry.schema,
    key_properties: entry.key_properties ?? [],
  });
  if (entry.tap_stream_id === 'customers') {
    let updatedAt = state.bookmarks.customers?.updated_at ?? 0;
    const total = config.customers ?? 5;
    while (updatedAt < total) {
      if (config.crashAfter === emitted) {
        process.stderr.write('singer sample tap: database connection lost\n');
        process.exit(4);
      }
      updatedAt += 1;
      emitted += 1;
      emit({ type: 'RECORD', stream: 'customers', record: { id: updatedAt, updated_at: updatedAt } });
      if (updatedAt % 2 === 0 || updatedAt === total) {
        state.bookmarks.customers = { updated_at: updatedAt, replication_key: 'updated_at' };
        emit({ type: 'STATE', value: { ...state, currently_syncing: 'customers' } });
      }
    }
  } else if (entry.tap_stream_id === 'audit_log') {
    for (let index = 0; index < (config.auditLog ?? 3); index += 1) {
      emit({ type: 'RECORD', stream: 'audit_log', record: { line: `entry ${index}` } });
    }
    state.bookmarks.audit_log = { version: 1 };
    emit({ type: 'STATE', value: { ...state, currently_syncing: null } });
  }
}
