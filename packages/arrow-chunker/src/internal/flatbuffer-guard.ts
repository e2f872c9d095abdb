/**
 * Bounds check of an IPC message's flatbuffer metadata before apache-arrow decodes it. Arrow's
 * flatbuffer accessors do not check bounds: a corrupted vector length (say 2^31 schema fields) makes
 * its decoder loop for minutes, and a looping offset can recurse without end. This walks every table,
 * vector and string Arrow's decoder visits, checks each lies inside the metadata, and caps the number of
 * tables visited by the metadata size, so hostile metadata costs at most linear time.
 *
 * Layout followed: Arrow's Message.fbs / Schema.fbs (field indices below are vtable slots).
 */
export class FlatbufferGuardError extends Error {}

/** The schema nests types deeper than the configured limit. */
export class NestingTooDeepError extends FlatbufferGuardError {
  constructor(readonly maxNestingDepth: number) {
    super(`a field nests types more than ${maxNestingDepth} levels deep`);
  }
}

const OFFSET_BYTES = 4;
const FIELD_NODE_BYTES = 16;
const BUFFER_BYTES = 16;
const LONG_BYTES = 8;

// Message table slots.
const MESSAGE_HEADER_TYPE = 1;
const MESSAGE_HEADER = 2;
const MESSAGE_CUSTOM_METADATA = 4;
// MessageHeader union values.
const HEADER_SCHEMA = 1;
const HEADER_DICTIONARY_BATCH = 2;
const HEADER_RECORD_BATCH = 3;
// Schema table slots.
const SCHEMA_FIELDS = 1;
const SCHEMA_CUSTOM_METADATA = 2;
const SCHEMA_FEATURES = 3;
// Field table slots.
const FIELD_NAME = 0;
const FIELD_TYPE_TYPE = 2;
const FIELD_TYPE = 3;
const FIELD_DICTIONARY = 4;
const FIELD_CHILDREN = 5;
const FIELD_CUSTOM_METADATA = 6;
// Type union value of Union, whose table holds a typeIds vector.
const TYPE_UNION = 14;
const UNION_TYPE_IDS = 1;
// DictionaryEncoding slot.
const DICTIONARY_INDEX_TYPE = 1;
// RecordBatch slots.
const RECORD_BATCH_NODES = 1;
const RECORD_BATCH_BUFFERS = 2;
const RECORD_BATCH_COMPRESSION = 3;
const RECORD_BATCH_VARIADIC_COUNTS = 4;
// DictionaryBatch slot.
const DICTIONARY_BATCH_DATA = 1;
// KeyValue slots.
const KEY_VALUE_KEY = 0;
const KEY_VALUE_VALUE = 1;

interface TablePosition {
  readonly position: number;
  readonly vtable: number;
  readonly vtableBytes: number;
}

/**
 * Throws FlatbufferGuardError when the metadata of one message is not safely readable, and
 * NestingTooDeepError when a schema field nests types more than `maxNestingDepth` levels deep (a
 * top-level column of a flat type is 1 level; each List, Struct, Map or Union level adds one). The
 * depth is checked here, before Arrow's recursive schema decoder sees the metadata.
 */
export function guardMessageMetadata(metadata: Uint8Array, maxNestingDepth: number): void {
  new MetadataWalker(metadata, maxNestingDepth).walkMessage();
}

class MetadataWalker {
  private readonly view: DataView;
  private readonly size: number;
  private tablesLeft: number;
  private readonly maxNestingDepth: number;

  constructor(metadata: Uint8Array, maxNestingDepth: number) {
    this.maxNestingDepth = maxNestingDepth;
    this.view = new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength);
    this.size = metadata.byteLength;
    // A table occupies at least 4 bytes, so a larger count means offsets loop back on themselves.
    this.tablesLeft = Math.floor(this.size / OFFSET_BYTES) + 1;
  }

  walkMessage(): void {
    const message = this.table(this.uoffsetTarget(0));
    this.keyValues(message, MESSAGE_CUSTOM_METADATA);
    const headerType = this.uint8Field(message, MESSAGE_HEADER_TYPE);
    const header = this.tableField(message, MESSAGE_HEADER);
    if (header === undefined) return;
    if (headerType === HEADER_SCHEMA) this.schema(header);
    else if (headerType === HEADER_RECORD_BATCH) this.recordBatch(header);
    else if (headerType === HEADER_DICTIONARY_BATCH) {
      const data = this.tableField(header, DICTIONARY_BATCH_DATA);
      if (data !== undefined) this.recordBatch(data);
    }
  }

  private schema(schema: TablePosition): void {
    this.tables(schema, SCHEMA_FIELDS, (field) => this.field(field, 1));
    this.keyValues(schema, SCHEMA_CUSTOM_METADATA);
    this.vector(schema, SCHEMA_FEATURES, LONG_BYTES);
  }

  private field(field: TablePosition, depth: number): void {
    if (depth > this.maxNestingDepth) throw new NestingTooDeepError(this.maxNestingDepth);
    this.vector(field, FIELD_NAME, 1);
    const typeTable = this.tableField(field, FIELD_TYPE);
    if (typeTable !== undefined && this.uint8Field(field, FIELD_TYPE_TYPE) === TYPE_UNION) {
      this.vector(typeTable, UNION_TYPE_IDS, OFFSET_BYTES);
    }
    const dictionary = this.tableField(field, FIELD_DICTIONARY);
    if (dictionary !== undefined) this.tableField(dictionary, DICTIONARY_INDEX_TYPE);
    this.tables(field, FIELD_CHILDREN, (child) => this.field(child, depth + 1));
    this.keyValues(field, FIELD_CUSTOM_METADATA);
  }

  private recordBatch(batch: TablePosition): void {
    this.vector(batch, RECORD_BATCH_NODES, FIELD_NODE_BYTES);
    this.vector(batch, RECORD_BATCH_BUFFERS, BUFFER_BYTES);
    this.tableField(batch, RECORD_BATCH_COMPRESSION);
    this.vector(batch, RECORD_BATCH_VARIADIC_COUNTS, LONG_BYTES);
  }

  private keyValues(table: TablePosition, slot: number): void {
    this.tables(table, slot, (keyValue) => {
      this.vector(keyValue, KEY_VALUE_KEY, 1);
      this.vector(keyValue, KEY_VALUE_VALUE, 1);
    });
  }

  private tables(table: TablePosition, slot: number, visit: (element: TablePosition) => void): void {
    const vector = this.vector(table, slot, OFFSET_BYTES);
    if (vector === undefined) return;
    for (let index = 0; index < vector.length; index += 1) {
      visit(this.table(this.uoffsetTarget(vector.start + index * OFFSET_BYTES)));
    }
  }

  /** Start and length of a vector (or string) field; checks it fits. */
  private vector(
    table: TablePosition,
    slot: number,
    elementBytes: number,
  ): { start: number; length: number } | undefined {
    const at = this.fieldPosition(table, slot);
    if (at === undefined) return undefined;
    const vectorPosition = this.uoffsetTarget(at);
    const length = this.uint32(vectorPosition);
    const start = vectorPosition + OFFSET_BYTES;
    if (length * elementBytes > this.size - start) {
      throw new FlatbufferGuardError(
        `a vector of ${length} elements at byte ${vectorPosition} overruns the metadata`,
      );
    }
    return { start, length };
  }

  private tableField(table: TablePosition, slot: number): TablePosition | undefined {
    const at = this.fieldPosition(table, slot);
    return at === undefined ? undefined : this.table(this.uoffsetTarget(at));
  }

  private uint8Field(table: TablePosition, slot: number): number {
    const at = this.fieldPosition(table, slot);
    if (at === undefined) return 0;
    this.check(at, 1);
    return this.view.getUint8(at);
  }

  private fieldPosition(table: TablePosition, slot: number): number | undefined {
    const entry = 4 + slot * 2;
    if (entry + 2 > table.vtableBytes) return undefined;
    const relative = this.view.getUint16(table.vtable + entry, true);
    if (relative === 0) return undefined;
    const at = table.position + relative;
    this.check(at, 1);
    return at;
  }

  private table(position: number): TablePosition {
    this.tablesLeft -= 1;
    if (this.tablesLeft < 0)
      throw new FlatbufferGuardError('the metadata references more tables than it can hold');
    this.check(position, OFFSET_BYTES);
    const vtable = position - this.view.getInt32(position, true);
    this.check(vtable, 4);
    const vtableBytes = this.view.getUint16(vtable, true);
    if (vtableBytes < 4 || vtableBytes % 2 !== 0) {
      throw new FlatbufferGuardError(`a table at byte ${position} has an invalid vtable`);
    }
    this.check(vtable, vtableBytes);
    return { position, vtable, vtableBytes };
  }

  private uoffsetTarget(at: number): number {
    const target = at + this.uint32(at);
    this.check(target, 1);
    return target;
  }

  private uint32(at: number): number {
    this.check(at, OFFSET_BYTES);
    return this.view.getUint32(at, true);
  }

  private check(at: number, bytes: number): void {
    if (!Number.isSafeInteger(at) || at < 0 || at + bytes > this.size) {
      throw new FlatbufferGuardError(`an offset points outside the metadata (byte ${at})`);
    }
  }
}
