import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters.js';
import { TransportError } from '../errors/transport-error.js';
import { parseCsv } from './csv-parse.js';
import { tableFromCsv, tableFromJsonLines } from './file-formats.js';

/** Any code point, lone surrogates included (fast-check's 'binary' unit takes seconds to set up). */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code));

// Fuzzers of the transport harness's input readers (CSV and JSON lines files given with --input).
// Invariant: the rows or table the text holds, or a TransportError TRANSPORT_INPUT_FORMAT; never
// another throw, and no column lost to its name. FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

function expectInputFormatError(error: unknown): void {
  if (!TransportError.isInstance(error) || error.code !== 'TRANSPORT_INPUT_FORMAT') throw error;
}

/** Field text rich in what CSV treats specially. */
const fieldText = fc.oneof(
  fc.string({
    unit: fc.constantFrom('a', '1', ' ', ',', '"', '\n', '\r', '\ufeff', 'é', '.', '-', 'e'),
    maxLength: 8,
  }),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('__proto__', 'constructor', 'true', 'false', '1e999', '-0', ''),
);

/** One field as CSV: quoted when it holds a separator, a quote, a line break or a leading BOM. */
function csvField(text: string): string {
  return /[",\r\n]|^\ufeff|^$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const rowsArbitrary = fc.array(fc.array(fieldText, { minLength: 1, maxLength: 5 }), { maxLength: 6 });

function csvText(rows: readonly string[][], lineBreak: string, finalBreak: boolean): string {
  return (
    rows.map((row) => row.map(csvField).join(',')).join(lineBreak) +
    (finalBreak && rows.length > 0 ? lineBreak : '')
  );
}

/** Text damage: delete, insert or replace a character with one CSV cares about. */
const textMutation = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.integer({ min: 0, max: 3 }),
  insert: fc.string({ unit: fc.constantFrom('"', ',', '\n', '\r', 'x', '\ufeff', '\ud800'), maxLength: 3 }),
});

function mutate(text: string, mutation: { at: number; remove: number; insert: string }): string {
  const at = Math.floor(mutation.at * text.length);
  return text.slice(0, at) + mutation.insert + text.slice(at + mutation.remove);
}

describe('fuzz: CSV reader (parseCsv)', () => {
  it('reads back the fields written, whatever the line breaks', () => {
    fc.assert(
      fc.property(
        rowsArbitrary,
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        (rows, lineBreak, finalBreak, bom) => {
          const text = (bom ? '\ufeff' : '') + csvText(rows, lineBreak, finalBreak);
          expect(parseCsv(text)).toEqual(rows);
        },
      ),
      fuzzParameters(500),
    );
  });

  it('reads damaged or arbitrary text into rows or a TRANSPORT_INPUT_FORMAT error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .tuple(rowsArbitrary, textMutation)
            .map(([rows, mutation]) => mutate(csvText(rows, '\n', true), mutation)),
          fc.string({ unit: anyCodePoint, maxLength: 60 }),
        ),
        (text) => {
          try {
            const rows = parseCsv(text, 'fuzz.csv');
            for (const row of rows) expect(row.length).toBeGreaterThanOrEqual(1);
          } catch (error) {
            expectInputFormatError(error);
            expect((error as Error).message).toMatch(/^\[TRANSPORT_INPUT_FORMAT\] fuzz\.csv: line \d+: /);
          }
        },
      ),
      fuzzParameters(500),
    );
  });
});

describe('fuzz: harness input tables (tableFromCsv, tableFromJsonLines)', () => {
  it('reads CSV into a table with one column per header name, or a TRANSPORT_INPUT_FORMAT error', () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.option(textMutation, { nil: undefined }), (rows, mutation) => {
        const written = csvText(rows, '\n', true);
        const text = mutation === undefined ? written : mutate(written, mutation);
        let table: ReturnType<typeof tableFromCsv>;
        try {
          table = tableFromCsv(text, 'fuzz.csv');
        } catch (error) {
          expectInputFormatError(error);
          return;
        }
        const [header = [], ...records] = parseCsv(text);
        expect(table.schema.fields.map((field) => field.name)).toEqual(header);
        const blank = (row: string[]) => row.length === 1 && row[0] === '';
        expect(table.numRows).toBe(header.length === 0 ? 0 : records.filter((row) => !blank(row)).length);
      }),
      fuzzParameters(300),
    );
  });

  it('reads JSON lines into a table with a column per key, any key, values where the lines have them', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf'),
    );
    const value = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string({ maxLength: 4 }),
      fc.constant({ nested: [1] }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(key, value), { maxLength: 4 }), { maxLength: 5 }), (lines) => {
        // JSON text written by hand, so a `__proto__` key is a key (JSON.parse makes it an own property).
        const text = lines
          .map(
            (entries) =>
              `{${entries.map(([name, cell]) => `${JSON.stringify(name)}:${JSON.stringify(cell)}`).join(',')}}`,
          )
          .join('\n');
        const table = tableFromJsonLines(text, 'fuzz.jsonl');
        const records = lines.map((entries) => new Map(entries));
        // Column order is key order as JavaScript gives it (JSON objects have none; index-like keys come first).
        const names = [
          ...new Set(text.split('\n').flatMap((line) => (line === '' ? [] : Object.keys(JSON.parse(line))))),
        ];
        expect(table.schema.fields.map((field) => field.name)).toEqual(names);
        // A table without columns has no rows (lines of `{}` alone hold nothing to keep).
        expect(table.numRows).toBe(names.length === 0 ? 0 : lines.length);
        names.forEach((name, index) => {
          const column = table.getChildAt(index);
          records.forEach((record, row) => {
            if (!record.has(name) || record.get(name) === null) expect(column?.get(row)).toBeNull();
            else expect(column?.get(row)).not.toBeNull();
          });
        });
      }),
      fuzzParameters(300),
    );
  });

  it('reads arbitrary lines into a table or a TRANSPORT_INPUT_FORMAT error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.json({ maxDepth: 2 }), fc.string({ maxLength: 10 })), { maxLength: 5 }),
        (lines) => {
          try {
            tableFromJsonLines(lines.join('\n'), 'fuzz.jsonl');
          } catch (error) {
            expectInputFormatError(error);
          }
        },
      ),
      fuzzParameters(300),
    );
  });
});
