import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  Bool,
  type Data,
  type DataType,
  Field,
  Float64,
  makeBuilder,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
} from 'apache-arrow';
import { TransportError } from '../errors/transport-error.js';
import { parseCsv } from './csv-parse.js';

type Cell = string | number | boolean | null;

const numberPattern = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** One typed column from cells: all numbers -> Float64, all booleans -> Bool, else Utf8; null stays null. */
function column(cells: Cell[]): { type: DataType; values: Cell[] } {
  const present = cells.filter((cell) => cell !== null);
  if (present.length > 0 && present.every((cell) => typeof cell === 'number')) {
    return { type: new Float64(), values: cells };
  }
  if (present.length > 0 && present.every((cell) => typeof cell === 'boolean')) {
    return { type: new Bool(), values: cells };
  }
  return { type: new Utf8(), values: cells.map((cell) => (cell === null ? null : String(cell))) };
}

/** One column's values as a single Arrow Data chunk of `type`. */
function columnData(type: DataType, values: readonly Cell[]): Data {
  const builder = makeBuilder({ type, nullValues: [null] });
  for (const value of values) builder.append(value);
  return builder.finish().flush();
}

/**
 * A table of the columns in the order given, under any names: built from a schema, not from an
 * object keyed by name (which would turn `__proto__` into a prototype and move `"0"` to the front).
 */
function tableFromColumns(names: readonly string[], cellsByColumn: Cell[][]): Table {
  const children = names.map((_name, index) => {
    const { type, values } = column(cellsByColumn[index] ?? []);
    return columnData(type, values);
  });
  const schema = new Schema(
    names.map((name, index) => new Field(name, (children[index] as Data).type, true)),
  );
  const length = children[0]?.length ?? 0;
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }),
  );
  return new Table(schema, batch);
}

function csvCell(raw: string): Cell {
  if (raw === '') return null;
  if (numberPattern.test(raw)) return Number(raw);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

/**
 * CSV with a header row; columns typed as in {@link column}, empty cells null. Any column name is
 * kept (`__proto__` included); two columns of one name are a `TRANSPORT_INPUT_FORMAT` error.
 */
export function tableFromCsv(text: string, sourceName: string): Table {
  const [header, ...rows] = parseCsv(text, sourceName);
  if (header === undefined)
    throw new TransportError('TRANSPORT_INPUT_FORMAT', `${sourceName}: no header row`);
  const seen = new Set<string>();
  const repeated = header.find((name) => seen.has(name) || !seen.add(name));
  if (repeated !== undefined) {
    throw new TransportError(
      'TRANSPORT_INPUT_FORMAT',
      `${sourceName}: the header names column ${JSON.stringify(repeated)} more than once`,
    );
  }
  const columns: Cell[][] = header.map(() => []);
  for (const [rowIndex, row] of rows.entries()) {
    if (row.length === 1 && row[0] === '') continue; // blank line
    if (row.length !== header.length) {
      throw new TransportError(
        'TRANSPORT_INPUT_FORMAT',
        `${sourceName}: record ${rowIndex + 2} has ${row.length} fields, the header has ${header.length}`,
      );
    }
    for (const [index, raw] of row.entries()) columns[index]?.push(csvCell(raw));
  }
  return tableFromColumns(header, columns);
}

/** JSON lines: one object per line; nested values are kept as JSON text; any key is a column name. */
export function tableFromJsonLines(text: string, sourceName: string): Table {
  const names: string[] = [];
  const records: Array<Record<string, unknown>> = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new TransportError('TRANSPORT_INPUT_FORMAT', `${sourceName}: line ${index + 1} is not JSON`, {
        cause: error,
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new TransportError(
        'TRANSPORT_INPUT_FORMAT',
        `${sourceName}: line ${index + 1} is not a JSON object`,
      );
    }
    for (const key of Object.keys(parsed)) if (!names.includes(key)) names.push(key);
    records.push(parsed as Record<string, unknown>);
  });
  const columns = names.map((name) =>
    records.map((record): Cell => {
      // Own keys only: a record without `constructor` must not read Object.prototype's.
      const value = Object.hasOwn(record, name) ? record[name] : undefined;
      if (value === undefined || value === null) return null;
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
      return JSON.stringify(value);
    }),
  );
  return tableFromColumns(names, columns);
}

/** Reads an input file by extension: .csv, .jsonl/.ndjson, else Arrow IPC (file or stream format). */
export async function readInputTable(path: string): Promise<Table> {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return tableFromCsv(await readFile(path, 'utf8'), path);
  if (extension === '.jsonl' || extension === '.ndjson')
    return tableFromJsonLines(await readFile(path, 'utf8'), path);
  try {
    return tableFromIPC(await readFile(path));
  } catch (error) {
    throw new TransportError('TRANSPORT_INPUT_FORMAT', `${path}: not an Arrow IPC file or stream`, {
      cause: error,
    });
  }
}

function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object' && value !== null && 'toJSON' in value) {
    return (value as { toJSON(): unknown }).toJSON();
  }
  return value;
}

/** Writes tables by extension: .jsonl/.ndjson as JSON lines, .arrows as an IPC stream, else an IPC file. */
export async function writeOutputTables(path: string, tables: readonly Table[]): Promise<void> {
  const extension = extname(path).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') {
    const lines: string[] = [];
    for (const table of tables) {
      const names = table.schema.fields.map((field) => field.name);
      for (const row of table) {
        const record: Record<string, unknown> = {};
        for (const name of names) record[name] = jsonValue(row?.[name]);
        lines.push(JSON.stringify(record));
      }
    }
    await writeFile(path, lines.length > 0 ? `${lines.join('\n')}\n` : '');
    return;
  }
  const batches = tables.flatMap((table) => table.batches);
  const combined = batches.length > 0 ? new Table(batches) : new Table();
  await writeFile(path, tableToIPC(combined, extension === '.arrows' ? 'stream' : 'file'));
}
