import type { Data } from 'apache-arrow';
import {
  asBoolean,
  asNumber,
  asString,
  type BooleanValue,
  type ColumnValue,
  isNullAt,
  type NumberValue,
  type StringValue,
} from './column-value';
import { readArrowColumn } from './read-arrow-column';
import type { TypedNode } from './type-check';

type Binary = Extract<TypedNode, { kind: 'binary' }>;
type Call = Extract<TypedNode, { kind: 'call' }>;

/** Validity of a binary result: valid where both sides are; `null` when both are all valid. */
function bothValid(
  left: { valid: Uint8Array | null; scalar: boolean },
  right: { valid: Uint8Array | null; scalar: boolean },
  rows: number,
): Uint8Array | null {
  if (left.valid === null && right.valid === null) return null;
  const valid = new Uint8Array(rows);
  const leftStep = left.scalar ? 0 : 1;
  const rightStep = right.scalar ? 0 : 1;
  for (let row = 0; row < rows; row += 1) {
    valid[row] =
      (left.valid === null ? 1 : (left.valid[row * leftStep] as number)) &
      (right.valid === null ? 1 : (right.valid[row * rightStep] as number));
  }
  return valid;
}

function arithmetic(operator: string, left: NumberValue, right: NumberValue, rows: number): NumberValue {
  const a = left.values;
  const b = right.values;
  const sa = left.scalar ? 0 : 1;
  const sb = right.scalar ? 0 : 1;
  const out = new Float64Array(rows);
  let valid = bothValid(left, right, rows);
  // Tight loops per operator: the numeric fast path, no per-row dispatch.
  switch (operator) {
    case '+':
      for (let row = 0; row < rows; row += 1) out[row] = (a[row * sa] as number) + (b[row * sb] as number);
      break;
    case '-':
      for (let row = 0; row < rows; row += 1) out[row] = (a[row * sa] as number) - (b[row * sb] as number);
      break;
    case '*':
      for (let row = 0; row < rows; row += 1) out[row] = (a[row * sa] as number) * (b[row * sb] as number);
      break;
    default: {
      // Division or remainder by zero is null rather than Infinity or NaN.
      valid ??= new Uint8Array(rows).fill(1);
      const divide = operator === '/';
      for (let row = 0; row < rows; row += 1) {
        const divisor = b[row * sb] as number;
        if (divisor === 0) valid[row] = 0;
        else {
          const dividend = a[row * sa] as number;
          out[row] = divide ? dividend / divisor : dividend % divisor;
        }
      }
    }
  }
  return { kind: 'number', values: out, valid, scalar: false };
}

function compareNumbers(operator: string, left: NumberValue, right: NumberValue, rows: number): BooleanValue {
  const a = left.values;
  const b = right.values;
  const sa = left.scalar ? 0 : 1;
  const sb = right.scalar ? 0 : 1;
  const out = new Uint8Array(rows);
  switch (operator) {
    case '==':
      for (let row = 0; row < rows; row += 1) out[row] = a[row * sa] === b[row * sb] ? 1 : 0;
      break;
    case '!=':
      for (let row = 0; row < rows; row += 1) out[row] = a[row * sa] !== b[row * sb] ? 1 : 0;
      break;
    case '<':
      for (let row = 0; row < rows; row += 1)
        out[row] = (a[row * sa] as number) < (b[row * sb] as number) ? 1 : 0;
      break;
    case '<=':
      for (let row = 0; row < rows; row += 1)
        out[row] = (a[row * sa] as number) <= (b[row * sb] as number) ? 1 : 0;
      break;
    case '>':
      for (let row = 0; row < rows; row += 1)
        out[row] = (a[row * sa] as number) > (b[row * sb] as number) ? 1 : 0;
      break;
    default:
      for (let row = 0; row < rows; row += 1)
        out[row] = (a[row * sa] as number) >= (b[row * sb] as number) ? 1 : 0;
  }
  return { kind: 'boolean', values: out, valid: bothValid(left, right, rows), scalar: false };
}

function compareValues<T>(operator: string, a: T, b: T): boolean {
  switch (operator) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function compareStrings(operator: string, left: StringValue, right: StringValue, rows: number): BooleanValue {
  const sa = left.scalar ? 0 : 1;
  const sb = right.scalar ? 0 : 1;
  const out = new Uint8Array(rows);
  const valid = new Uint8Array(rows);
  for (let row = 0; row < rows; row += 1) {
    const a = left.values[row * sa] as string | null;
    const b = right.values[row * sb] as string | null;
    if (a === null || b === null) continue;
    valid[row] = 1;
    out[row] = compareValues(operator, a, b) ? 1 : 0;
  }
  return { kind: 'boolean', values: out, valid, scalar: false };
}

function compareBooleans(
  operator: string,
  left: BooleanValue,
  right: BooleanValue,
  rows: number,
): BooleanValue {
  const sa = left.scalar ? 0 : 1;
  const sb = right.scalar ? 0 : 1;
  const out = new Uint8Array(rows);
  const equal = operator === '==';
  for (let row = 0; row < rows; row += 1)
    out[row] = (left.values[row * sa] === right.values[row * sb]) === equal ? 1 : 0;
  return { kind: 'boolean', values: out, valid: bothValid(left, right, rows), scalar: false };
}

/** SQL three-valued `and`/`or`: false and null = false, true or null = true, otherwise null wins. */
function logical(
  operator: 'and' | 'or',
  left: BooleanValue,
  right: BooleanValue,
  rows: number,
): BooleanValue {
  const sa = left.scalar ? 0 : 1;
  const sb = right.scalar ? 0 : 1;
  const dominant = operator === 'and' ? 0 : 1;
  const out = new Uint8Array(rows);
  const valid = new Uint8Array(rows);
  for (let row = 0; row < rows; row += 1) {
    const leftValid = left.valid === null || left.valid[row * sa] === 1;
    const rightValid = right.valid === null || right.valid[row * sb] === 1;
    const a = left.values[row * sa];
    const b = right.values[row * sb];
    if ((leftValid && a === dominant) || (rightValid && b === dominant)) {
      out[row] = dominant;
      valid[row] = 1;
    } else if (leftValid && rightValid) {
      out[row] = 1 - dominant;
      valid[row] = 1;
    }
  }
  return { kind: 'boolean', values: out, valid, scalar: false };
}

function mapStrings(value: StringValue, rows: number, map: (text: string) => string): StringValue {
  const step = value.scalar ? 0 : 1;
  const out: (string | null)[] = new Array(rows);
  for (let row = 0; row < rows; row += 1) {
    const text = value.values[row * step] as string | null;
    out[row] = text === null ? null : map(text);
  }
  return { kind: 'string', values: out, scalar: false };
}

function mapNumbers(value: NumberValue, rows: number, map: (number: number) => number): NumberValue {
  const step = value.scalar ? 0 : 1;
  const out = new Float64Array(rows);
  for (let row = 0; row < rows; row += 1) out[row] = map(value.values[row * step] as number);
  return {
    kind: 'number',
    values: out,
    valid: value.valid === null ? null : expand(value.valid, value.scalar, rows),
    scalar: false,
  };
}

function expand(valid: Uint8Array, scalar: boolean, rows: number): Uint8Array {
  return scalar ? new Uint8Array(rows).fill(valid[0] as number) : valid;
}

/** Rounds half away from zero at `digits` decimal places (negative digits round to tens, hundreds, ...). */
export function roundHalfAwayFromZero(value: number, digits: number): number {
  const factor = 10 ** Math.trunc(digits);
  const rounded = Math.round(Math.abs(value) * factor) / factor;
  return value < 0 ? -rounded : rounded;
}

/** Builds a column of `type` taking each row from the value `choose(row)` names (none: null); for coalesce and if(). */
function pickPerRow(
  type: TypedNode['type'],
  rows: number,
  choose: (row: number) => ColumnValue | undefined,
): ColumnValue {
  if (type === 'string') {
    const out: (string | null)[] = new Array(rows);
    for (let row = 0; row < rows; row += 1) {
      const source = choose(row);
      out[row] =
        source === undefined
          ? null
          : (asString(source).values[asString(source).scalar ? 0 : row] as string | null);
    }
    return { kind: 'string', values: out, scalar: false };
  }
  if (type === 'number' || type === 'boolean') {
    const out = type === 'number' ? new Float64Array(rows) : new Uint8Array(rows);
    const valid = new Uint8Array(rows);
    for (let row = 0; row < rows; row += 1) {
      const source = choose(row);
      if (source === undefined || isNullAt(source, row)) continue;
      const typed = type === 'number' ? asNumber(source) : asBoolean(source);
      out[row] = typed.values[typed.scalar ? 0 : row] as number;
      valid[row] = 1;
    }
    return type === 'number'
      ? { kind: 'number', values: out as Float64Array, valid, scalar: false }
      : { kind: 'boolean', values: out as Uint8Array, valid, scalar: false };
  }
  return { kind: 'null' };
}

/**
 * Evaluates a type-checked expression over one record batch's columns, a whole column per step, with
 * SQL null semantics. `columns` are the batch's child Data in schema order. Each column is read once;
 * pass the same `readColumns` map to several evaluations over one batch to share those reads.
 */
export function evaluateColumns(
  expression: TypedNode,
  columns: readonly Data[],
  rows: number,
  readColumns: Map<number, ColumnValue> = new Map(),
): ColumnValue {
  const read = readColumns;

  const evaluateBinary = (node: Binary): ColumnValue => {
    const left = evaluate(node.left);
    const right = evaluate(node.right);
    const { operator } = node;
    if (operator === 'and' || operator === 'or')
      return logical(operator, asBoolean(left), asBoolean(right), rows);
    if (node.type === 'boolean') {
      if (node.operandType === 'number')
        return compareNumbers(operator, asNumber(left), asNumber(right), rows);
      if (node.operandType === 'string')
        return compareStrings(operator, asString(left), asString(right), rows);
      if (node.operandType === 'boolean')
        return compareBooleans(operator, asBoolean(left), asBoolean(right), rows);
      return asBoolean({ kind: 'null' });
    }
    if (node.type === 'string') {
      const a = asString(left);
      const b = asString(right);
      const out: (string | null)[] = new Array(rows);
      for (let row = 0; row < rows; row += 1) {
        const x = a.values[a.scalar ? 0 : row] as string | null;
        const y = b.values[b.scalar ? 0 : row] as string | null;
        out[row] = x === null || y === null ? null : x + y;
      }
      return { kind: 'string', values: out, scalar: false };
    }
    return arithmetic(operator, asNumber(left), asNumber(right), rows);
  };

  const evaluateCall = (node: Call): ColumnValue => {
    const args = node.args.map(evaluate);
    const first = args[0] as ColumnValue;
    switch (node.name) {
      case 'lower':
        return mapStrings(asString(first), rows, (text) => text.toLowerCase());
      case 'upper':
        return mapStrings(asString(first), rows, (text) => text.toUpperCase());
      case 'trim':
        return mapStrings(asString(first), rows, (text) => text.trim());
      case 'length': {
        const strings = asString(first);
        const out = new Float64Array(rows);
        const valid = new Uint8Array(rows);
        for (let row = 0; row < rows; row += 1) {
          const text = strings.values[strings.scalar ? 0 : row] as string | null;
          if (text === null) continue;
          // Characters (code points), not UTF-16 units, so an emoji counts once.
          let count = 0;
          for (const _ of text) count += 1;
          out[row] = count;
          valid[row] = 1;
        }
        return { kind: 'number', values: out, valid, scalar: false };
      }
      case 'abs':
        return mapNumbers(asNumber(first), rows, Math.abs);
      case 'round': {
        const digits = args[1] === undefined ? undefined : asNumber(args[1]);
        if (digits === undefined)
          return mapNumbers(asNumber(first), rows, (value) => roundHalfAwayFromZero(value, 0));
        const values = asNumber(first);
        const out = new Float64Array(rows);
        for (let row = 0; row < rows; row += 1) {
          out[row] = roundHalfAwayFromZero(
            values.values[values.scalar ? 0 : row] as number,
            digits.values[digits.scalar ? 0 : row] as number,
          );
        }
        return { kind: 'number', values: out, valid: bothValid(values, digits, rows), scalar: false };
      }
      case 'is_null': {
        const out = new Uint8Array(rows);
        for (let row = 0; row < rows; row += 1) out[row] = isNullAt(first, row) ? 1 : 0;
        return { kind: 'boolean', values: out, valid: null, scalar: false };
      }
      case 'coalesce':
        return pickPerRow(node.type, rows, (row) => args.find((candidate) => !isNullAt(candidate, row)));
      case 'if': {
        const condition = asBoolean(first);
        return pickPerRow(node.type, rows, (row) => {
          const index = condition.scalar ? 0 : row;
          const holds =
            (condition.valid === null || condition.valid[index] === 1) && condition.values[index] === 1;
          return holds ? args[1] : args[2];
        });
      }
    }
  };

  const evaluate = (node: TypedNode): ColumnValue => {
    switch (node.kind) {
      case 'literal': {
        const { value } = node;
        if (value === null) return { kind: 'null' };
        if (typeof value === 'number')
          return { kind: 'number', values: Float64Array.of(value), valid: null, scalar: true };
        if (typeof value === 'boolean')
          return { kind: 'boolean', values: Uint8Array.of(value ? 1 : 0), valid: null, scalar: true };
        return { kind: 'string', values: [value], scalar: true };
      }
      case 'column': {
        let value = read.get(node.fieldIndex);
        if (value === undefined) {
          value = readArrowColumn(columns[node.fieldIndex] as Data);
          read.set(node.fieldIndex, value);
        }
        return value;
      }
      case 'negate': {
        const operand = asNumber(evaluate(node.operand));
        return mapNumbers(operand, rows, (value) => -value);
      }
      case 'not': {
        const operand = asBoolean(evaluate(node.operand));
        const out = new Uint8Array(rows);
        for (let row = 0; row < rows; row += 1)
          out[row] = 1 - (operand.values[operand.scalar ? 0 : row] as number);
        return {
          kind: 'boolean',
          values: out,
          valid: operand.valid === null ? null : expand(operand.valid, operand.scalar, rows),
          scalar: false,
        };
      }
      case 'binary':
        return evaluateBinary(node);
      case 'call':
        return evaluateCall(node);
    }
  };

  return evaluate(expression);
}
