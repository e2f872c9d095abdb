import {
  Binary,
  Bool,
  type DataType,
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  Null,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import fc from 'fast-check';

// Random Arrow schemas (nested structs and lists of every type rows can hold, dictionaries, nulls)
// and rows that fit them, shared by the property tests and the fuzzers.

export type LeafKind =
  | 'int32'
  | 'int64'
  | 'float64'
  | 'utf8'
  | 'bool'
  | 'timestamp'
  | 'binary'
  | 'dictionary'
  | 'null';
export type Spec =
  | { kind: LeafKind }
  | { kind: 'struct'; children: { name: string; spec: Spec; nullable: boolean }[] }
  | { kind: 'list'; element: Spec; nullable: boolean };

const leafKinds: LeafKind[] = [
  'int32',
  'int64',
  'float64',
  'utf8',
  'bool',
  'timestamp',
  'binary',
  'dictionary',
  'null',
];

export const specArbitrary: fc.Arbitrary<Spec> = fc.letrec<{ spec: Spec }>((tie) => ({
  spec: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'spec' },
    fc.constantFrom(...leafKinds).map((kind): Spec => ({ kind })),
    fc.array(fc.record({ spec: tie('spec'), nullable: fc.boolean() }), { minLength: 1, maxLength: 3 }).map(
      (children): Spec => ({
        kind: 'struct',
        children: children.map((child, index) => ({
          name: `c${index}`,
          spec: child.spec,
          nullable: child.nullable || child.spec.kind === 'null',
        })),
      }),
    ),
    fc.record({ element: tie('spec'), nullable: fc.boolean() }).map(
      (list): Spec => ({
        kind: 'list',
        element: list.element,
        nullable: list.nullable || list.element.kind === 'null',
      }),
    ),
  ),
})).spec;

export function toArrowType(spec: Spec): DataType {
  switch (spec.kind) {
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
    case 'utf8':
      return new Utf8();
    case 'bool':
      return new Bool();
    case 'timestamp':
      return new TimestampMillisecond('UTC');
    case 'binary':
      return new Binary();
    case 'dictionary':
      // The schema is built once per scenario, so all its batches share this id: each batch after the
      // first carries a replacement dictionary.
      return new Dictionary(new Utf8(), new Int32());
    case 'null':
      return new Null();
    case 'struct':
      return new Struct(
        spec.children.map((child) => new Field(child.name, toArrowType(child.spec), child.nullable)),
      );
    case 'list':
      return new List(new Field('item', toArrowType(spec.element), spec.nullable));
  }
}

const int64Extremes = fc.oneof(
  fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
);

export function valueArbitrary(spec: Spec): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'int32':
      return fc.integer();
    case 'int64':
      return int64Extremes;
    case 'float64':
      return fc.double();
    case 'utf8':
      return fc.string({ unit: 'grapheme', maxLength: 12 });
    case 'bool':
      return fc.boolean();
    case 'timestamp':
      return fc.date({ noInvalidDate: true, min: new Date(-1e14), max: new Date(1e14) });
    case 'binary':
      return fc.uint8Array({ maxLength: 9 });
    case 'dictionary':
      return fc.constantFrom('red', 'grün', '青', '🎉', '');
    case 'null':
      return fc.constant(null);
    case 'struct':
      return fc.record(
        Object.fromEntries(
          spec.children.map((child) => [child.name, withNulls(valueArbitrary(child.spec), child.nullable)]),
        ),
      );
    case 'list':
      return fc.array(withNulls(valueArbitrary(spec.element), spec.nullable), { maxLength: 4 });
  }
}

function withNulls(arbitrary: fc.Arbitrary<unknown>, nullable: boolean): fc.Arbitrary<unknown> {
  return nullable ? fc.option(arbitrary, { nil: null, freq: 4 }) : arbitrary;
}

/** A schema and batches of rows that fit it. */
export interface Scenario {
  schema: Schema;
  batchesOfRows: Record<string, unknown>[][];
}

export const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .array(fc.record({ spec: specArbitrary, nullable: fc.boolean() }), { minLength: 1, maxLength: 5 })
  .chain((columns) => {
    const fields = columns.map(
      (column, index) =>
        new Field(`col${index}_ñ`, toArrowType(column.spec), column.nullable || column.spec.kind === 'null'),
    );
    const row = fc.record(
      Object.fromEntries(
        columns.map((column, index) => [
          fields[index]!.name,
          withNulls(valueArbitrary(column.spec), fields[index]!.nullable),
        ]),
      ),
    );
    return fc.record({
      schema: fc.constant(new Schema(fields)),
      batchesOfRows: fc.array(fc.array(row, { maxLength: 12 }), { minLength: 1, maxLength: 3 }),
    });
  });
