import { Bool, Field, Float64, Int32, Int64, List, Schema, TimestampMillisecond, Utf8 } from 'apache-arrow';
import { TransformError } from '../errors/transform-error';
import { parseExpression } from './parse-expression';
import { typeCheck } from './type-check';

const schema = new Schema([
  new Field('amount', new Float64(), true),
  new Field('qty', new Int32(), true),
  new Field('big', new Int64(), true),
  new Field('status', new Utf8(), true),
  new Field('paid', new Bool(), true),
  new Field('first name', new Utf8(), true),
  new Field('at', new TimestampMillisecond(), true),
  new Field('tags', new List(new Field('item', new Utf8(), true)), true),
]);

const typeOf = (text: string) =>
  typeCheck(parseExpression({ name: 'Filter', text }), schema, { name: 'Filter', text }).type;

function errorOf(text: string): TransformError {
  try {
    typeOf(text);
  } catch (error) {
    if (TransformError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected '${text}' not to type-check`);
}

describe('typeCheck', () => {
  it.each([
    ["amount > 100 and status == 'paid'", 'boolean'],
    ['amount * 0.92 + qty - big % 2', 'number'],
    ["upper(status) + '-' + [first name]", 'string'],
    ['length(status)', 'number'],
    ['round(amount, 2)', 'number'],
    ['coalesce(null, amount, qty)', 'number'],
    ["if(paid, status, 'open')", 'string'],
    ['not paid or paid != true', 'boolean'],
    ['null + 1', 'number'],
    ["status < 'm'", 'boolean'],
  ])('types %p as %p', (text, type) => {
    expect(typeOf(text)).toBe(type);
  });

  it('names an unknown column with its position', () => {
    const error = errorOf('amount > 1 and staus == 1');
    expect(error.code).toBe('TRANSFORM_UNKNOWN_COLUMN');
    expect(error.position).toMatchObject({ expressionName: 'Filter', offset: 15, column: 16 });
  });

  it.each([
    ["amount > 'x'", 7],
    ['status + 1', 7],
    ['paid and amount', 9],
    ['paid < paid', 5],
    ['amount == null', 10],
    ['-status', 0],
    ['lower(amount)', 6],
    ['abs(1, 2)', 0],
    ['nope(1)', 0],
    ['coalesce(amount, status)', 0],
    ['if(amount, 1, 2)', 3],
    ['tags == 1', 0],
    ['at > 1', 0],
  ])('refuses %p with TRANSFORM_TYPE at offset %p', (text, offset) => {
    const error = errorOf(text);
    expect(error.code).toBe('TRANSFORM_TYPE');
    expect(error.position?.offset).toBe(offset);
  });
});
