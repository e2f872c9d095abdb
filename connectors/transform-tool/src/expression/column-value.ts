/**
 * A value computed column-at-a-time over one record batch. A scalar (from a literal) holds one element
 * and stands for every row. Validity is one byte per row (1 = not null); `null` means all valid.
 */
export type ColumnValue =
  | {
      readonly kind: 'number';
      readonly values: Float64Array;
      readonly valid: Uint8Array | null;
      readonly scalar: boolean;
    }
  | {
      readonly kind: 'boolean';
      readonly values: Uint8Array;
      readonly valid: Uint8Array | null;
      readonly scalar: boolean;
    }
  | { readonly kind: 'string'; readonly values: readonly (string | null)[]; readonly scalar: boolean }
  | { readonly kind: 'null' };

/** A column (or scalar) of numbers, as float64. */
export type NumberValue = Extract<ColumnValue, { kind: 'number' }>;
/** A column (or scalar) of booleans, one byte (0/1) per row. */
export type BooleanValue = Extract<ColumnValue, { kind: 'boolean' }>;
/** A column (or scalar) of strings; a null row is `null`. */
export type StringValue = Extract<ColumnValue, { kind: 'string' }>;

const nullNumber: NumberValue = {
  kind: 'number',
  values: new Float64Array(1),
  valid: new Uint8Array(1),
  scalar: true,
};
const nullBoolean: BooleanValue = {
  kind: 'boolean',
  values: new Uint8Array(1),
  valid: new Uint8Array(1),
  scalar: true,
};
const nullString: StringValue = { kind: 'string', values: [null], scalar: true };

/** The value as numbers (a `null` literal becomes a null scalar). */
export function asNumber(value: ColumnValue): NumberValue {
  return value.kind === 'null' ? nullNumber : (value as NumberValue);
}

/** The value as booleans (a `null` literal becomes a null scalar). */
export function asBoolean(value: ColumnValue): BooleanValue {
  return value.kind === 'null' ? nullBoolean : (value as BooleanValue);
}

/** The value as strings (a `null` literal becomes a null scalar). */
export function asString(value: ColumnValue): StringValue {
  return value.kind === 'null' ? nullString : (value as StringValue);
}

/** Whether row `row` of `value` is null. */
export function isNullAt(value: ColumnValue, row: number): boolean {
  if (value.kind === 'null') return true;
  const index = value.scalar ? 0 : row;
  if (value.kind === 'string') return value.values[index] === null;
  return value.valid !== null && value.valid[index] === 0;
}

/** Row `row` of `value` as a plain JS value (null for null). */
export function valueAt(value: ColumnValue, row: number): number | string | boolean | null {
  if (isNullAt(value, row) || value.kind === 'null') return null;
  const index = value.scalar ? 0 : row;
  if (value.kind === 'boolean') return value.values[index] === 1;
  return value.values[index] as number | string;
}
