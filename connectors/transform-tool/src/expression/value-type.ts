import { type DataType, type Dictionary, Type } from 'apache-arrow';

/** Types of the expression language. `null` is the type of the `null` literal alone. */
export type ValueType = 'number' | 'string' | 'boolean' | 'null';

/**
 * The expression type of an Arrow column, or `undefined` when expressions cannot read it (the column
 * still passes through). Every integer and float width is a `number` (a float64: Int64 values beyond
 * 2^53 lose precision); Utf8, LargeUtf8 and dictionaries of them are `string`; Bool is `boolean`.
 */
export function valueTypeOfArrow(type: DataType): ValueType | undefined {
  switch (type.typeId) {
    case Type.Int:
    case Type.Float:
      return 'number';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'string';
    case Type.Bool:
      return 'boolean';
    case Type.Dictionary: {
      // Dictionary-encoded strings (categoricals) read as strings.
      const valueType = (type as Dictionary).dictionary;
      return valueType.typeId === Type.Utf8 || valueType.typeId === Type.LargeUtf8 ? 'string' : undefined;
    }
    default:
      return undefined;
  }
}
