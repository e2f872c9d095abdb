import {
  Bool,
  type Data,
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { fuzzParameters } from './__fixtures__/fuzz-parameters';
import { compileTransform, parseTransform } from './compile-transform';
import { TransformError } from './errors/transform-error';
import { parseToolConfig } from './tool-config';

// Fuzzers of the tool config the engine hands the transform tool: the XML (<Configuration>, <Filter>,
// <Formula>) and, through it, the whole way to output rows over a fixed incoming batch. Invariant: the
// config (or output batch) the text means, or a TransformError with a code; never another throw.
// FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

const codes = new Set([
  'TRANSFORM_CONFIG',
  'TRANSFORM_SYNTAX',
  'TRANSFORM_UNKNOWN_COLUMN',
  'TRANSFORM_TYPE',
  'TRANSFORM_SCHEMA',
  'TRANSFORM_EVALUATION',
]);

function expectTransformError(error: unknown, allowed: ReadonlySet<string> = codes): void {
  if (!TransformError.isInstance(error) || !allowed.has(error.code)) throw error;
}

const xmlEscape = (text: string) =>
  text.replace(
    /[<&"']/g,
    (char) => ({ '<': '&lt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] as string,
  );

/** Expressions over the fixed batch's columns: mostly valid ones, some ill-typed and some nonsense. */
const expression = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'x > 1',
      'x / 0',
      'i * 1000000000',
      "upper(s) + '!'",
      'round(x, 2)',
      'coalesce(i, 0) % 3',
      'is_null(p) or p',
      "if(p, s, 'no')",
      'length(s) - i',
      '-i',
      'x == null',
      'nope > 1',
      's + 1',
      '1e999 * i',
      'p and x > 0',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom('x', 'i', 's', 'p', '1', '.', ' ', '+', '*', '(', ')', "'", '>', '=', 'not '),
      maxLength: 12,
    }),
  },
);

/** Filters: mostly boolean expressions, as a filter must be. */
const filterExpression = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'x > 1',
      'is_null(p) or p',
      'p',
      'not p and i > 0',
      "s == 'a'",
      "s <> ''",
      ' ',
    ),
  },
  { weight: 1, arbitrary: expression },
);

const formulaType = fc.option(
  fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom('double', 'float', 'int32', 'int64', 'string', 'bool') },
    { weight: 1, arbitrary: fc.constant('decimal') },
  ),
  { nil: undefined },
);
const formulaName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('out', 'y2', '__proto__', 'constructor', 'z') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('x', ''), fc.string({ maxLength: 4 })) },
);

const configArbitrary = fc.record({
  filter: fc.option(filterExpression, { nil: undefined }),
  formulas: fc.uniqueArray(fc.record({ name: formulaName, type: formulaType, expression }), {
    maxLength: 3,
    selector: (formula) => formula.name,
  }),
  extra: fc.oneof(
    { weight: 6, arbitrary: fc.constant('') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '<!-- note -->',
        '<Other/>',
        '<Filter>p</Filter>',
        '<Formula type="bool">p</Formula>',
      ),
    },
  ),
  cdata: fc.boolean(),
});

/** One generated config, before it is written as XML. */
interface ToolConfigCase {
  filter: string | undefined;
  formulas: { name: string; type: string | undefined; expression: string }[];
  extra: string;
  cdata: boolean;
}

function configXml(config: ToolConfigCase): string {
  const body = (text: string) =>
    config.cdata && !text.includes(']]>') ? `<![CDATA[${text}]]>` : xmlEscape(text);
  const filter = config.filter === undefined ? '' : `<Filter>${body(config.filter)}</Filter>`;
  const formulas = config.formulas
    .map(({ name, type, expression: text }) => {
      const typeAttribute = type === undefined ? '' : ` type="${type}"`;
      return `<Formula name="${xmlEscape(name)}"${typeAttribute}>${body(text)}</Formula>`;
    })
    .join('\n  ');
  return `<Configuration>\n  ${filter}${formulas}${config.extra}\n</Configuration>`;
}

const fields = [
  new Field('x', new Float64(), true),
  new Field('i', new Int32(), true),
  new Field('s', new Utf8(), true),
  new Field('p', new Bool(), true),
];
const values: Record<string, unknown[]> = {
  x: [1.5, null, -2, 1e300],
  i: [3, 2147483647, null, -7],
  s: ['a', '', null, 'zz'],
  p: [true, null, false, true],
};
const schema = new Schema(fields);
const batch = new RecordBatch(
  schema,
  makeData({
    type: new Struct(fields),
    length: 4,
    nullCount: 0,
    children: fields.map(
      (field) => vectorFromArray(values[field.name] as unknown[], field.type).data[0] as Data,
    ),
  }),
);

describe('fuzz: tool config (parseToolConfig) and the transform it configures', () => {
  it('reads a config as written, or refuses it with TRANSFORM_CONFIG, and runs it or refuses it with a code', () => {
    fc.assert(
      fc.property(configArbitrary, (config) => {
        const xml = configXml(config);
        let parsed: ReturnType<typeof parseToolConfig>;
        try {
          parsed = parseToolConfig(xml);
        } catch (error) {
          expectTransformError(error, new Set(['TRANSFORM_CONFIG']));
          return;
        }
        expect(config.extra).not.toBe('<Other/>');
        const trimmed = config.filter?.trim();
        if (config.extra !== '<Filter>p</Filter>')
          expect(parsed.filter).toBe(trimmed === '' ? undefined : trimmed);
        expect(parsed.formulas.slice(0, config.formulas.length).map((formula) => formula.name)).toEqual(
          config.formulas.map((formula) => formula.name),
        );
        try {
          const compiled = compileTransform(parseTransform(parsed), schema);
          const output = compiled.apply(batch);
          expect(output.schema.fields.length).toBe(fields.length + parsed.formulas.length);
          expect(output.numRows).toBeLessThanOrEqual(batch.numRows);
        } catch (error) {
          expectTransformError(error);
        }
      }),
      fuzzParameters(300),
    );
  });

  it('reads damaged config text into a config or a TRANSFORM_CONFIG error', () => {
    fc.assert(
      fc.property(
        configArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 4 }),
        fc.string({
          unit: fc.constantFrom('<', '>', '/', '&', '"', '=', ' ', '!', '-', '[', ']', '#', ';', 'a'),
          maxLength: 4,
        }),
        (config, at, remove, insert) => {
          const xml = configXml(config);
          const position = Math.floor(at * xml.length);
          try {
            parseToolConfig(xml.slice(0, position) + insert + xml.slice(position + remove));
          } catch (error) {
            expectTransformError(error, new Set(['TRANSFORM_CONFIG']));
          }
        },
      ),
      fuzzParameters(500),
    );
  });
});
