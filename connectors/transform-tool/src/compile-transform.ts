import { type Data, Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { TransformError } from './errors/transform-error';
import type { ExpressionNode } from './expression/ast';
import { asBoolean, type ColumnValue } from './expression/column-value';
import { evaluateColumns } from './expression/evaluate-columns';
import { parseExpression } from './expression/parse-expression';
import { expressionError, type SourceText } from './expression/source-text';
import { type TypedNode, typeCheck } from './expression/type-check';
import { arrowTypeOf, columnToArrow } from './internal/column-to-arrow';
import { canGather, gatherData } from './internal/gather-column';
import type { FormulaColumnType, TransformToolConfig } from './tool-config';

/** A config whose expressions are parsed (syntax checked) but not yet typed against a schema. */
export interface ParsedTransform {
  readonly filter: { readonly source: SourceText; readonly expression: ExpressionNode } | undefined;
  readonly formulas: readonly {
    readonly name: string;
    readonly type: FormulaColumnType | undefined;
    readonly source: SourceText;
    readonly expression: ExpressionNode;
  }[];
}

/** A transform checked against one incoming schema, ready to run over its record batches. */
export interface CompiledTransform {
  /** The incoming columns followed by the formula columns. */
  readonly outputSchema: Schema;
  /** The output rows of one incoming batch (possibly zero rows). */
  apply(batch: RecordBatch): RecordBatch;
}

/** Parses every expression of `config`; throws `TRANSFORM_SYNTAX` for the first that does not parse. */
export function parseTransform(config: TransformToolConfig): ParsedTransform {
  const filterSource = config.filter === undefined ? undefined : { name: 'Filter', text: config.filter };
  return {
    filter:
      filterSource === undefined
        ? undefined
        : { source: filterSource, expression: parseExpression(filterSource) },
    formulas: config.formulas.map((formula) => {
      const source = { name: `Formula '${formula.name}'`, text: formula.expression };
      return { name: formula.name, type: formula.type, source, expression: parseExpression(source) };
    }),
  };
}

const numericColumnTypes: readonly FormulaColumnType[] = ['double', 'float', 'int32', 'int64'];

/** The column type of a formula: the declared one (checked against the expression) or the inferred one. */
function formulaColumnType(
  typed: TypedNode,
  declared: FormulaColumnType | undefined,
  source: SourceText,
): FormulaColumnType {
  const mismatch = (message: string) => expressionError('TRANSFORM_TYPE', source, 0, message);
  if (declared === undefined) {
    if (typed.type === 'null')
      throw mismatch('the expression is always null; declare the column type with type="..."');
    return typed.type === 'number' ? 'double' : typed.type === 'string' ? 'string' : 'bool';
  }
  const fits =
    typed.type === 'null' ||
    (typed.type === 'number' && numericColumnTypes.includes(declared)) ||
    (typed.type === 'string' && declared === 'string') ||
    (typed.type === 'boolean' && declared === 'bool');
  if (!fits) throw mismatch(`the expression is ${typed.type}, which a ${declared} column cannot hold`);
  return declared;
}

/**
 * Type-checks a parsed transform against an incoming schema: unknown columns, ill-typed expressions, a
 * non-boolean filter, a formula named like an incoming column, and (with a filter) a column type rows
 * cannot be selected from are all errors here, before any row is processed.
 */
export function compileTransform(parsed: ParsedTransform, schema: Schema): CompiledTransform {
  let filter: TypedNode | undefined;
  if (parsed.filter !== undefined) {
    filter = typeCheck(parsed.filter.expression, schema, parsed.filter.source);
    if (filter.type !== 'boolean') {
      throw expressionError(
        'TRANSFORM_TYPE',
        parsed.filter.source,
        0,
        `the filter must be boolean, got ${filter.type}`,
      );
    }
    const unfilterable = schema.fields.find((field) => !canGather(field.type));
    if (unfilterable !== undefined) {
      throw new TransformError(
        'TRANSFORM_SCHEMA',
        `column '${unfilterable.name}' has type ${String(unfilterable.type)}, which the filter cannot select rows of`,
      );
    }
  }
  const incomingNames = new Set(schema.fields.map((field) => field.name));
  const formulas = parsed.formulas.map((formula) => {
    if (incomingNames.has(formula.name)) {
      throw new TransformError(
        'TRANSFORM_SCHEMA',
        `formula '${formula.name}' is named like an incoming column`,
      );
    }
    const typed = typeCheck(formula.expression, schema, formula.source);
    const type = formulaColumnType(typed, formula.type, formula.source);
    return { name: formula.name, typed, type };
  });
  const outputSchema = new Schema(
    [
      ...schema.fields,
      ...formulas.map((formula) => new Field(formula.name, arrowTypeOf(formula.type), true)),
    ],
    schema.metadata,
  );
  const structType = new Struct(outputSchema.fields);

  return {
    outputSchema,
    apply(batch: RecordBatch): RecordBatch {
      const rows = batch.numRows;
      const columns = batch.data.children as Data[];
      let selection: Int32Array | undefined;
      const filterReads = new Map<number, ColumnValue>();
      if (filter !== undefined) {
        const keep = asBoolean(evaluateColumns(filter, columns, rows, filterReads));
        const scalar = keep.scalar;
        const picked = new Int32Array(rows);
        let count = 0;
        for (let row = 0; row < rows; row += 1) {
          const index = scalar ? 0 : row;
          if (keep.values[index] === 1 && (keep.valid === null || keep.valid[index] === 1)) {
            picked[count] = row;
            count += 1;
          }
        }
        // Every row kept: the incoming columns go out as they are, no copy.
        selection = count === rows ? undefined : picked.subarray(0, count);
      }
      const length = selection === undefined ? rows : selection.length;
      const children: Data[] = columns.map((column) =>
        selection === undefined ? column : gatherData(column, selection),
      );
      // Formulas run over the kept rows only: the output needs those gathered columns anyway, and a
      // selective filter leaves less to compute. The formulas share their column reads (with the
      // filter's too, when it kept every row).
      const formulaInputs = children.slice(0, columns.length);
      const readColumns = selection === undefined ? filterReads : new Map<number, ColumnValue>();
      for (const formula of formulas) {
        const value = evaluateColumns(formula.typed, formulaInputs, length, readColumns);
        children.push(columnToArrow(value, formula.type, length, formula.name));
      }
      return new RecordBatch(outputSchema, makeData({ type: structType, length, nullCount: 0, children }));
    },
  };
}
