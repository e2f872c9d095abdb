import type { ChunkerError } from './errors/chunker-error.js';
import { inferArrowSchema } from './infer-arrow-schema.js';

function typesOf(rows: Record<string, unknown>[], integers?: 'float64' | 'int32' | 'int64'): string[] {
  return inferArrowSchema(rows, { integers }).fields.map((field) => `${field.name}: ${field.type}`);
}

function catchError(action: () => unknown): ChunkerError {
  try {
    action();
  } catch (error) {
    return error as ChunkerError;
  }
  throw new Error('expected a throw');
}

describe('inferArrowSchema', () => {
  it('maps JS kinds to Arrow types, merging nested shapes across rows', () => {
    const rows = [
      {
        n: 1,
        b: 1n,
        s: 'x',
        t: true,
        d: new Date(0),
        bin: new Uint8Array(1),
        o: { a: 1 },
        l: ['x'],
        z: null,
      },
      { n: 2.5, o: { c: 'y' }, l: [null, 'y'] },
    ];
    expect(typesOf(rows)).toEqual([
      'n: Float64',
      'b: Int64',
      's: Utf8',
      't: Bool',
      'd: Timestamp<MILLISECOND, UTC>',
      'bin: Binary',
      'o: Struct<{a:Float64, c:Utf8}>',
      'l: List<Utf8>',
      'z: Null',
    ]);
    expect(inferArrowSchema(rows).fields.every((field) => field.nullable)).toBe(true);
  });

  it('types integer-only columns as asked', () => {
    const rows = [
      { small: 1, large: 2 ** 40, fraction: 1 },
      { small: -5, large: 3, fraction: 0.5 },
    ];
    expect(typesOf(rows)).toEqual(['small: Float64', 'large: Float64', 'fraction: Float64']);
    expect(typesOf(rows, 'int32')).toEqual(['small: Int32', 'large: Float64', 'fraction: Float64']);
    expect(typesOf(rows, 'int64')).toEqual(['small: Int64', 'large: Int64', 'fraction: Float64']);
  });

  it('merges integer numbers with bigints into Int64', () => {
    expect(typesOf([{ v: 1 }, { v: 2n }])).toEqual(['v: Int64']);
    expect(catchError(() => inferArrowSchema([{ v: 1.5 }, { v: 2n }])).code).toBe('CHUNKER_UNSUPPORTED_TYPE');
  });

  it('rejects mixed kinds and unmappable values, naming the field path', () => {
    const mixed = catchError(() => inferArrowSchema([{ a: { b: 1 } }, { a: { b: 'x' } }]));
    expect(mixed.code).toBe('CHUNKER_UNSUPPORTED_TYPE');
    expect((mixed as unknown as { fieldPath: string }).fieldPath).toBe('a.b');
    const fn = catchError(() => inferArrowSchema([{ f: () => 1 }]));
    expect((fn as unknown as { fieldPath: string }).fieldPath).toBe('f');
    const invalidDate = catchError(() => inferArrowSchema([{ d: new Date(Number.NaN) }]));
    expect(invalidDate.code).toBe('CHUNKER_UNSUPPORTED_TYPE');
    const notRow = catchError(() => inferArrowSchema([null as unknown as Record<string, unknown>]));
    expect(notRow.code).toBe('CHUNKER_UNSUPPORTED_TYPE');
    expect(catchError(() => inferArrowSchema([], { integers: 'int16' as 'int32' })).code).toBe(
      'CHUNKER_CONFIG',
    );
  });
});
