#!/usr/bin/env node
// A small Airbyte-protocol source written for the tests (plain Node, no dependencies):
// `spec`, `check --config`, `discover --config`, `read --config --catalog [--state]`.
// Streams: `users` (incremental, cursor `updated`, primary key [['id']]), `events` (resumable full
// refresh by page, no primary key) and `shop.orders` (full refresh, flat primary key ['order/id']).
// Config: { apiKey, users, events, orders, stateEvery, pageSize, globalState, garbageAfter,
// crashAfter, unknownStream } - the last four make it misbehave on purpose.
const fs = require('node:fs');

const args = process.argv.slice(2);
const command = args[0];
const option = (name) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : JSON.parse(fs.readFileSync(args[index + 1], 'utf8'));
};
const emit = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const log = (message) => emit({ type: 'LOG', log: { level: 'INFO', message } });

const streams = [
  {
    name: 'users',
    json_schema: { type: 'object', properties: { id: { type: 'integer' }, updated: { type: 'integer' } } },
    supported_sync_modes: ['full_refresh', 'incremental'],
    source_defined_cursor: true,
    default_cursor_field: ['updated'],
    source_defined_primary_key: [['id']],
  },
  {
    name: 'events',
    json_schema: { type: 'object', properties: { seq: { type: 'integer' } } },
    supported_sync_modes: ['full_refresh'],
    is_resumable: true,
  },
  {
    name: 'orders',
    namespace: 'shop',
    json_schema: { type: 'object', properties: { 'order/id': { type: 'string' } } },
    supported_sync_modes: ['full_refresh'],
    source_defined_primary_key: ['order/id'],
  },
];

if (command === 'spec') {
  emit({
    type: 'SPEC',
    spec: {
      documentationUrl: 'https://example.invalid/sample-source',
      connectionSpecification: {
        type: 'object',
        required: ['apiKey'],
        properties: { apiKey: { type: 'string' } },
      },
    },
  });
} else if (command === 'check') {
  const config = option('--config');
  emit({
    type: 'CONNECTION_STATUS',
    connectionStatus:
      config.apiKey === 'good'
        ? { status: 'SUCCEEDED' }
        : { status: 'FAILED', message: 'apiKey was rejected' },
  });
} else if (command === 'discover') {
  option('--config');
  emit({ type: 'CATALOG', catalog: { streams } });
} else if (command === 'read') {
  const config = option('--config');
  const catalog = option('--catalog');
  const incoming = option('--state') ?? [];
  const streamStates = {};
  let shared = { lsn: 0 };
  for (const state of incoming) {
    if (state.type === 'STREAM')
      streamStates[state.stream.stream_descriptor.name] = state.stream.stream_state;
    if (state.type === 'GLOBAL') {
      shared = state.global.shared_state ?? shared;
      for (const entry of state.global.stream_states)
        streamStates[entry.stream_descriptor.name] = entry.stream_state;
    }
  }
  const stateEvery = config.stateEvery ?? 2;
  let emitted = 0;
  const record = (stream, data, namespace) => {
    if (config.crashAfter !== undefined && emitted === config.crashAfter) {
      process.stderr.write('sample source: the upstream API went away\n');
      process.exit(3);
    }
    if (config.garbageAfter !== undefined && emitted === config.garbageAfter)
      process.stdout.write('this is not json\n');
    emitted += 1;
    emit({
      type: 'RECORD',
      record: { stream, ...(namespace ? { namespace } : {}), data, emitted_at: Date.now() },
    });
  };
  const checkpoint = (name, streamState, namespace) => {
    streamStates[name] = streamState;
    if (config.globalState) {
      shared = { lsn: shared.lsn + 1 };
      emit({
        type: 'STATE',
        state: {
          type: 'GLOBAL',
          global: {
            shared_state: shared,
            stream_states: Object.entries(streamStates).map(([stream, value]) => ({
              stream_descriptor: { name: stream },
              stream_state: value,
            })),
          },
        },
      });
    } else {
      emit({
        type: 'STATE',
        state: {
          type: 'STREAM',
          stream: {
            stream_descriptor: { name, ...(namespace ? { namespace } : {}) },
            stream_state: streamState,
          },
        },
      });
    }
  };
  log(`reading ${catalog.streams.length} stream(s)`);
  for (const configured of catalog.streams) {
    const name = configured.stream.name;
    emit({
      type: 'TRACE',
      trace: {
        type: 'STREAM_STATUS',
        emitted_at: Date.now(),
        stream_status: { stream_descriptor: { name }, status: 'STARTED' },
      },
    });
    if (name === 'users') {
      const total = config.users ?? 5;
      let cursor = configured.sync_mode === 'incremental' ? (streamStates.users?.cursor ?? 0) : 0;
      while (cursor < total) {
        cursor += 1;
        record('users', { id: cursor, updated: cursor, name: `user ${cursor}` });
        if (cursor % stateEvery === 0 || cursor === total) checkpoint('users', { cursor });
      }
    } else if (name === 'events') {
      const total = config.events ?? 4;
      const pageSize = config.pageSize ?? 2;
      let page = streamStates.events?.page ?? 0;
      while (page * pageSize < total) {
        for (let seq = page * pageSize; seq < Math.min(total, (page + 1) * pageSize); seq += 1)
          record('events', { seq });
        page += 1;
        checkpoint('events', { page });
      }
      checkpoint('events', { __ab_full_refresh_sync_complete: true });
    } else if (name === 'orders') {
      for (let index = 0; index < (config.orders ?? 2); index += 1)
        record('orders', { 'order/id': `o-${index}` }, 'shop');
    }
    if (config.unknownStream) record('ghost', { boo: true });
  }
} else {
  process.stderr.write(`unknown command ${command}\n`);
  process.exit(2);
}
