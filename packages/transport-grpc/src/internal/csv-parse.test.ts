import { TransportError } from '../errors/transport-error.js';
import { parseCsv } from './csv-parse.js';
import { tableFromCsv, tableFromJsonLines } from './file-formats.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return TransportError.isInstance(error) ? error.code : 'not a TransportError';
  }
  return undefined;
}

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, embedded separators and line breaks, CRLF and a BOM', () => {
    const text = '\ufeffa,b\r\n"x, y","he said ""no"""\r\n"multi\nline",\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "no"'],
      ['multi\nline', ''],
    ]);
  });

  it('keeps a last row without a line break and an empty quoted field', () => {
    expect(parseCsv('a,b\n1,""')).toEqual([
      ['a', 'b'],
      ['1', ''],
    ]);
  });

  it('rejects an unclosed quote and text after a closing quote with the line', () => {
    expect(codeOf(() => parseCsv('a\n"open'))).toBe('TRANSPORT_INPUT_FORMAT');
    expect(codeOf(() => parseCsv('a\n"x"y'))).toBe('TRANSPORT_INPUT_FORMAT');
  });
});

describe('tableFromCsv', () => {
  it('types all-number columns as Float64, booleans as Bool, the rest as Utf8, empty cells as null', () => {
    const table = tableFromCsv('n,flag,text\n1,true,a\n,false,2\n2.5e1,,\n', 'test.csv');
    expect(table.schema.fields.map((field) => String(field.type))).toEqual(['Float64', 'Bool', 'Utf8']);
    expect(table.getChild('n')?.toArray()).toEqual(Float64Array.from([1, 0, 25]));
    expect(table.getChild('n')?.get(1)).toBeNull();
    expect([...(table.getChild('text') ?? [])]).toEqual(['a', '2', null]);
  });

  it('rejects a record with the wrong number of fields', () => {
    expect(codeOf(() => tableFromCsv('a,b\n1\n', 'x.csv'))).toBe('TRANSPORT_INPUT_FORMAT');
  });
});

describe('column names the harness once lost (found by fuzzing)', () => {
  it('keeps a CSV column named __proto__ as a column', () => {
    const table = tableFromCsv('__proto__,a\n1,x\n', 'test.csv');
    expect(table.schema.fields.map((field) => field.name)).toEqual(['__proto__', 'a']);
    expect(table.getChild('__proto__')?.get(0)).toBe(1);
    expect(table.numRows).toBe(1);
  });

  it('keeps the columns in header order when a name looks like an index', () => {
    const table = tableFromCsv('b,0,a\n1,2,3\n', 'test.csv');
    expect(table.schema.fields.map((field) => field.name)).toEqual(['b', '0', 'a']);
    expect(table.getChild('0')?.get(0)).toBe(2);
  });

  it('refuses a CSV header that names a column twice', () => {
    expect(codeOf(() => tableFromCsv('a,b,a\n1,2,3\n', 'test.csv'))).toBe('TRANSPORT_INPUT_FORMAT');
  });

  it('keeps JSON lines keys named __proto__ and constructor, absent ones null', () => {
    const table = tableFromJsonLines('{"__proto__":1,"b":2}\n{"constructor":"c"}\n', 'test.jsonl');
    expect(table.schema.fields.map((field) => field.name)).toEqual(['__proto__', 'b', 'constructor']);
    expect(table.getChild('__proto__')?.get(0)).toBe(1);
    expect(table.getChild('__proto__')?.get(1)).toBeNull();
    expect(table.getChild('constructor')?.get(0)).toBeNull();
    expect(table.getChild('constructor')?.get(1)).toBe('c');
  });
});
