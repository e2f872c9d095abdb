// A deliberately plain, row-at-a-time interpreter of type-checked expressions, written independently of
// the column-at-a-time evaluator so that tests can compare the two. Rows are plain objects by column name.
import { roundHalfAwayFromZero } from '../expression/evaluate-columns';
import type { TypedNode } from '../expression/type-check';

export type RowValue = number | string | boolean | null;
export type Row = Readonly<Record<string, RowValue>>;

export function evaluateRow(node: TypedNode, row: Row): RowValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'column':
      return row[node.name] ?? null;
    case 'negate': {
      const value = evaluateRow(node.operand, row);
      return value === null ? null : -(value as number);
    }
    case 'not': {
      const value = evaluateRow(node.operand, row);
      return value === null ? null : !value;
    }
    case 'binary': {
      const left = evaluateRow(node.left, row);
      const right = evaluateRow(node.right, row);
      if (node.operator === 'and') {
        if (left === false || right === false) return false;
        return left === null || right === null ? null : true;
      }
      if (node.operator === 'or') {
        if (left === true || right === true) return true;
        return left === null || right === null ? null : false;
      }
      if (left === null || right === null) return null;
      switch (node.operator) {
        case '==':
          return left === right;
        case '!=':
          return left !== right;
        case '<':
          return (left as number) < (right as number);
        case '<=':
          return (left as number) <= (right as number);
        case '>':
          return (left as number) > (right as number);
        case '>=':
          return (left as number) >= (right as number);
        case '+':
          return typeof left === 'string' ? left + (right as string) : (left as number) + (right as number);
        case '-':
          return (left as number) - (right as number);
        case '*':
          return (left as number) * (right as number);
        case '/':
          return right === 0 ? null : (left as number) / (right as number);
        default:
          return right === 0 ? null : (left as number) % (right as number);
      }
    }
    case 'call': {
      const args = node.args.map((arg) => evaluateRow(arg, row));
      const [first, second, third] = args;
      switch (node.name) {
        case 'is_null':
          return first === null;
        case 'coalesce':
          return args.find((value) => value !== null) ?? null;
        case 'if':
          return first === true ? (second ?? null) : (third ?? null);
        default:
          break;
      }
      if (first === null || first === undefined) return null;
      switch (node.name) {
        case 'lower':
          return (first as string).toLowerCase();
        case 'upper':
          return (first as string).toUpperCase();
        case 'trim':
          return (first as string).trim();
        case 'length':
          return Array.from(first as string).length;
        case 'abs':
          return Math.abs(first as number);
        default:
          if (second === null) return null;
          return roundHalfAwayFromZero(first as number, (second as number | undefined) ?? 0);
      }
    }
  }
}
