import {
  parseToolConfigXml,
  TransportError,
  type ToolConfigElement as XmlElement,
} from '@sdk/transport-grpc';
import { TransformError } from './errors/transform-error';

/** Arrow types a formula column can have: Float64, Float32, Int32, Int64, Utf8, Bool. */
export type FormulaColumnType = 'double' | 'float' | 'int32' | 'int64' | 'string' | 'bool';

const formulaColumnTypes: readonly FormulaColumnType[] = [
  'double',
  'float',
  'int32',
  'int64',
  'string',
  'bool',
];

/** One `<Formula name="..." type="...">expression</Formula>`. */
export interface FormulaConfig {
  /** Output column name; must differ from the incoming columns and the other formulas. */
  readonly name: string;
  /** Declared column type; when absent it follows the expression (number -> double). */
  readonly type: FormulaColumnType | undefined;
  /** The expression text. */
  readonly expression: string;
}

/** The tool's configuration, read from the `<Configuration>` XML the engine hands the plugin. */
export interface TransformToolConfig {
  /** Rows for which this boolean expression is true are kept; absent keeps every row. */
  readonly filter: string | undefined;
  /** Computed columns, appended after the incoming columns in this order. */
  readonly formulas: readonly FormulaConfig[];
}

function onlyAttributes(element: XmlElement, allowed: readonly string[]): void {
  for (const attribute of Object.keys(element.attributes)) {
    if (!allowed.includes(attribute)) {
      throw new TransformError('TRANSFORM_CONFIG', `<${element.name}> has unknown attribute '${attribute}'`);
    }
  }
}

/**
 * Reads the tool config XML: root `<Configuration>`, at most one `<Filter>` and any number of
 * `<Formula name="..." [type="double|float|int32|int64|string|bool"]>`. Empty or missing config means a
 * pass-through. Throws `TRANSFORM_CONFIG` for malformed XML, unknown elements or attributes, a formula
 * without a name, a duplicate name or an unknown type.
 */
export function parseToolConfig(xml: string): TransformToolConfig {
  if (xml.trim() === '') return { filter: undefined, formulas: [] };
  const root = parseXml(xml);
  if (root.name !== 'Configuration') {
    throw new TransformError(
      'TRANSFORM_CONFIG',
      `the root element must be <Configuration>, got <${root.name}>`,
    );
  }
  let filter: string | undefined;
  const formulas: FormulaConfig[] = [];
  for (const element of root.children) {
    if (element.name === 'Filter') {
      onlyAttributes(element, []);
      if (element.children.length > 0)
        throw new TransformError('TRANSFORM_CONFIG', '<Filter> holds text only');
      if (filter !== undefined) throw new TransformError('TRANSFORM_CONFIG', 'more than one <Filter>');
      filter = element.text.trim() === '' ? undefined : element.text.trim();
    } else if (element.name === 'Formula') {
      onlyAttributes(element, ['name', 'type']);
      const name = element.attributes.name;
      if (name === undefined || name === '')
        throw new TransformError('TRANSFORM_CONFIG', '<Formula> needs a name attribute');
      if (formulas.some((formula) => formula.name === name)) {
        throw new TransformError('TRANSFORM_CONFIG', `two formulas are named '${name}'`);
      }
      const type = element.attributes.type;
      if (type !== undefined && !formulaColumnTypes.includes(type as FormulaColumnType)) {
        throw new TransformError(
          'TRANSFORM_CONFIG',
          `formula '${name}' has unknown type '${type}' (types: ${formulaColumnTypes.join(', ')})`,
        );
      }
      if (element.children.length > 0)
        throw new TransformError('TRANSFORM_CONFIG', '<Formula> holds text only');
      if (element.text.trim() === '')
        throw new TransformError('TRANSFORM_CONFIG', `formula '${name}' has no expression`);
      formulas.push({ name, type: type as FormulaColumnType | undefined, expression: element.text.trim() });
    } else {
      throw new TransformError(
        'TRANSFORM_CONFIG',
        `unknown element <${element.name}> (expected <Filter> or <Formula>)`,
      );
    }
  }
  return { filter, formulas };
}

/** The shared tool-config parser, with its errors reported as this tool's own `TRANSFORM_CONFIG`. */
function parseXml(xml: string): XmlElement {
  try {
    return parseToolConfigXml(xml);
  } catch (error) {
    if (!TransportError.isInstance(error)) throw error;
    throw new TransformError('TRANSFORM_CONFIG', error.message.replace(/^\[[A-Z_]+\] /, ''), {
      cause: error,
    });
  }
}
