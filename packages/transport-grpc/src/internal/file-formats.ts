import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  Bool,
  type DataType,
  Float64,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
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

function tableFromColumns(names: readonly string[], cellsByColumn: Cell[][]): Table {
  const vectors: Record<string, Vector> = {};
  names.forEach((name, index) => {
    const { type, values } = column(cellsByColumn[index] ?? []);
    vectors[name] = vectorFromArray(values, type) as Vector;
  });
  return new Table(vectors);
}

function csvCell(raw: string): Cell {
  if (raw === '') return null;
  if (numberPattern.test(raw)) return Number(raw);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw;
}

/** CSV with a header row; columns typed as in {@link column}, empty cells null. */
export function tableFromCsv(text: string, sourceName: string): Table {
  const [header, ...rows] = parseCsv(text, sourceName);
  if (header === undefined)
    throw new TransportError('TRANSPORT_INPUT_FORMAT', `${sourceName}: no header row`);
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

/** JSON lines: one object per line; nested values are kept as JSON text. */
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
      const value = record[name];
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
