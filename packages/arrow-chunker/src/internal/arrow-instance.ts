import { DataType, Field, RecordBatch, Schema, Table } from 'apache-arrow';

// apache-arrow 21 makes `instanceof Table` true for objects of any apache-arrow copy, yet its writer
// still produces undecodable bytes for another copy's objects; only the prototype chain tells them apart.
const prototypeChainIncludes = Function.prototype[Symbol.hasInstance];

/** True when `value` is a Table of the apache-arrow copy this package uses. */
export function isLocalTable(value: unknown): value is Table {
  return prototypeChainIncludes.call(Table, value);
}

/** True when `value` is a RecordBatch of the apache-arrow copy this package uses. */
export function isLocalRecordBatch(value: unknown): value is RecordBatch {
  return prototypeChainIncludes.call(RecordBatch, value);
}

/** True when `value` is a Schema of the apache-arrow copy this package uses. */
export function isLocalSchema(value: unknown): value is Schema {
  return prototypeChainIncludes.call(Schema, value);
}

/** True when `value` is a Field of the apache-arrow copy this package uses. */
export function isLocalField(value: unknown): value is Field {
  return prototypeChainIncludes.call(Field, value);
}

/** True when `value` is a DataType of the apache-arrow copy this package uses. */
export function isLocalDataType(value: unknown): value is DataType {
  return prototypeChainIncludes.call(DataType, value);
}
