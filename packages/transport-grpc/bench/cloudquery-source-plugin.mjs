// The peer's side of the comparison: a CloudQuery source plugin written with
// @cloudquery/plugin-sdk-javascript the way its documentation shows, serving the plugin v3 gRPC API with
// the SDK's own `serve` command:
//   node cloudquery-source-plugin.mjs serve --address 127.0.0.1:0
// One table, `bench_rows`, with the columns of our benchmark's table (a float64 = row index,
// b float64 = rows - index). Its resolver yields `rows` items, `rows` taken from the Init spec
// (`{"rows": n}`); the SDK's scheduler resolves, encodes (one Arrow IPC stream per row) and sends them.
import { Float64 } from '@cloudquery/plugin-sdk-javascript/arrow';
import { newPlugin } from '@cloudquery/plugin-sdk-javascript/plugin/plugin';
import { createServeCommand } from '@cloudquery/plugin-sdk-javascript/plugin/serve';
import { sync } from '@cloudquery/plugin-sdk-javascript/scheduler';
import { createColumn } from '@cloudquery/plugin-sdk-javascript/schema/column';
import { pathResolver } from '@cloudquery/plugin-sdk-javascript/schema/resolvers';
import { createTable, filterTables } from '@cloudquery/plugin-sdk-javascript/schema/table';

const tableWithRows = (rows) =>
  createTable({
    name: 'bench_rows',
    description: 'rows generated for the transport benchmark',
    columns: [
      createColumn({ name: 'a', type: new Float64(), resolver: pathResolver('a') }),
      createColumn({ name: 'b', type: new Float64(), resolver: pathResolver('b') }),
    ],
    resolver: (_client, _parent, stream) => {
      for (let index = 0; index < rows; index += 1) stream.write({ a: index, b: rows - index });
      return Promise.resolve();
    },
  });

const newClient = (_logger, specText, { noConnection }) => {
  const rows = noConnection ? 0 : Number(JSON.parse(specText).rows);
  if (!Number.isSafeInteger(rows) || rows < 0) {
    return Promise.reject(new Error(`spec.rows must be a non-negative integer, got ${specText}`));
  }
  const allTables = [tableWithRows(rows)];
  return Promise.resolve({
    close: () => Promise.resolve(),
    tables: ({ tables, skipTables, skipDependentTables }) =>
      Promise.resolve(filterTables(allTables, tables, skipTables, skipDependentTables)),
    sync: ({ stream, tables, skipTables, skipDependentTables, deterministicCQId }) =>
      sync({
        logger: plugin.getLogger(),
        client: { id: () => 'bench' },
        stream,
        tables: filterTables(allTables, tables, skipTables, skipDependentTables),
        deterministicCQId,
        concurrency: 1, // one table and one client: nothing to run side by side
      }),
  });
};

const plugin = newPlugin('bench-rows', '0.0.1', newClient, { team: 'sdk', kind: 'source' });
createServeCommand(plugin).parse();
