import type { Schema } from 'apache-arrow';
import type { ArithmeticOperator, ComparisonOperator, ExpressionNode, LogicalOperator } from './ast';
import { expressionError, type SourceText } from './source-text';
import { type ValueType, valueTypeOfArrow } from './value-type';

/** An expression node annotated with its type; columns carry their index in the schema. */
export type TypedNode =
  | { readonly kind: 'literal'; readonly type: ValueType; readonly value: number | string | boolean | null }
  | { readonly kind: 'column'; readonly type: ValueType; readonly name: string; readonly fieldIndex: number }
  | { readonly kind: 'negate' | 'not'; readonly type: ValueType; readonly operand: TypedNode }
  | {
      readonly kind: 'binary';
      readonly type: ValueType;
      readonly operator: ComparisonOperator | ArithmeticOperator | LogicalOperator;
      /** Type of the operands (after unifying a `null` literal with the other side). */
      readonly operandType: ValueType;
      readonly left: TypedNode;
      readonly right: TypedNode;
    }
  | {
      readonly kind: 'call';
      readonly type: ValueType;
      readonly name: FunctionName;
      readonly args: readonly TypedNode[];
    };

/** The built-in functions. */
export type FunctionName =
  | 'lower'
  | 'upper'
  | 'trim'
  | 'length'
  | 'abs'
  | 'round'
  | 'coalesce'
  | 'is_null'
  | 'if';

const stringToString = new Set(['lower', 'upper', 'trim']);

/**
 * Checks `expression` against the incoming `schema` and annotates every node with its type. Throws
 * `TRANSFORM_UNKNOWN_COLUMN` for a column the schema lacks and `TRANSFORM_TYPE` for an ill-typed node,
 * both with the node's position in `source`.
 */
export function typeCheck(expression: ExpressionNode, schema: Schema, source: SourceText): TypedNode {
  const fieldIndexes = new Map<string, number>();
  schema.fields.forEach((field, index) => {
    if (!fieldIndexes.has(field.name)) fieldIndexes.set(field.name, index);
  });
  const typeError = (node: ExpressionNode, message: string) =>
    expressionError('TRANSFORM_TYPE', source, node.offset, message);

  const unify = (node: ExpressionNode, left: ValueType, right: ValueType, what: string): ValueType => {
    if (left === 'null') return right;
    if (right === 'null' || left === right) return left;
    throw typeError(node, `${what} mixes ${left} and ${right}`);
  };
  const requireType = (
    node: ExpressionNode,
    typed: TypedNode,
    allowed: readonly ValueType[],
    what: string,
  ) => {
    if (typed.type !== 'null' && !allowed.includes(typed.type)) {
      throw typeError(node, `${what} needs ${allowed.join(' or ')}, got ${typed.type}`);
    }
  };

  const check = (node: ExpressionNode): TypedNode => {
    switch (node.kind) {
      case 'literal': {
        const value = node.value;
        const type: ValueType =
          value === null
            ? 'null'
            : typeof value === 'number'
              ? 'number'
              : typeof value === 'string'
                ? 'string'
                : 'boolean';
        return { kind: 'literal', type, value };
      }
      case 'column': {
        const fieldIndex = fieldIndexes.get(node.name);
        if (fieldIndex === undefined) {
          const known = schema.fields.map((field) => field.name).join(', ');
          throw expressionError(
            'TRANSFORM_UNKNOWN_COLUMN',
            source,
            node.offset,
            `unknown column '${node.name}' (columns: ${known})`,
          );
        }
        const field = schema.fields[fieldIndex];
        const type = field === undefined ? undefined : valueTypeOfArrow(field.type);
        if (type === undefined) {
          throw typeError(
            node,
            `column '${node.name}' has type ${String(field?.type)}, which expressions cannot read`,
          );
        }
        return { kind: 'column', type, name: node.name, fieldIndex };
      }
      case 'negate': {
        const operand = check(node.operand);
        requireType(node, operand, ['number'], "unary '-'");
        return { kind: 'negate', type: 'number', operand };
      }
      case 'not': {
        const operand = check(node.operand);
        requireType(node, operand, ['boolean'], "'not'");
        return { kind: 'not', type: 'boolean', operand };
      }
      case 'binary': {
        const left = check(node.left);
        const right = check(node.right);
        const { operator } = node;
        if (operator === 'and' || operator === 'or') {
          requireType(node.left, left, ['boolean'], `'${operator}'`);
          requireType(node.right, right, ['boolean'], `'${operator}'`);
          return { kind: 'binary', type: 'boolean', operator, operandType: 'boolean', left, right };
        }
        if (operator === '==' || operator === '!=') {
          const nullSide = left.type === 'null' ? node.left : right.type === 'null' ? node.right : undefined;
          if (nullSide !== undefined) {
            // SQL semantics make `x == null` null for every row, which is never what the author meant.
            throw typeError(nullSide, `'${operator} null' is never true; use is_null(...)`);
          }
          const operandType = unify(node, left.type, right.type, `'${operator}'`);
          return { kind: 'binary', type: 'boolean', operator, operandType, left, right };
        }
        if (operator === '<' || operator === '<=' || operator === '>' || operator === '>=') {
          const operandType = unify(node, left.type, right.type, `'${operator}'`);
          if (operandType === 'boolean')
            throw typeError(node, `'${operator}' needs numbers or strings, got boolean`);
          return { kind: 'binary', type: 'boolean', operator, operandType, left, right };
        }
        const allowed: readonly ValueType[] = operator === '+' ? ['number', 'string'] : ['number'];
        requireType(node.left, left, allowed, `'${operator}'`);
        requireType(node.right, right, allowed, `'${operator}'`);
        const operandType = unify(node, left.type, right.type, `'${operator}'`);
        const type = operandType === 'null' ? 'number' : operandType;
        return { kind: 'binary', type, operator, operandType: type, left, right };
      }
      case 'call':
        return checkCall(node);
    }
  };

  const checkCall = (node: Extract<ExpressionNode, { kind: 'call' }>): TypedNode => {
    const args = node.args.map(check);
    const arity = (min: number, max: number) => {
      if (args.length < min || args.length > max) {
        const wanted =
          min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
        throw typeError(
          node,
          `${node.name}() takes ${wanted} argument${min === 1 && max === 1 ? '' : 's'}, got ${args.length}`,
        );
      }
    };
    const argNode = (index: number) => node.args[index] as ExpressionNode;
    const arg = (index: number) => args[index] as TypedNode;
    const name = node.name;
    if (stringToString.has(name) || name === 'length') {
      arity(1, 1);
      requireType(argNode(0), arg(0), ['string'], `${name}()`);
      return {
        kind: 'call',
        type: name === 'length' ? 'number' : 'string',
        name: name as FunctionName,
        args,
      };
    }
    if (name === 'abs' || name === 'round') {
      arity(1, name === 'round' ? 2 : 1);
      for (const [index, typed] of args.entries())
        requireType(argNode(index), typed, ['number'], `${name}()`);
      return { kind: 'call', type: 'number', name, args };
    }
    if (name === 'is_null') {
      arity(1, 1);
      return { kind: 'call', type: 'boolean', name, args };
    }
    if (name === 'coalesce') {
      arity(1, Number.POSITIVE_INFINITY);
      const type = args.reduce<ValueType>((acc, typed) => unify(node, acc, typed.type, 'coalesce()'), 'null');
      return { kind: 'call', type, name, args };
    }
    if (name === 'if') {
      arity(3, 3);
      requireType(argNode(0), arg(0), ['boolean'], 'the condition of if()');
      return { kind: 'call', type: unify(node, arg(1).type, arg(2).type, 'if()'), name, args };
    }
    throw typeError(
      node,
      `unknown function '${name}' (functions: lower, upper, trim, length, abs, round, coalesce, is_null, if)`,
    );
  };

  return check(expression);
}
