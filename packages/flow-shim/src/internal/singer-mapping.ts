import { FlowValidationError } from '../errors/flow-validation-error';
import type { DiscoveredBinding } from '../protocol/capture-response';
import type { JsonObject, JsonValue } from '../protocol/flow-specs';
import { jsonPointerFromPath } from '../protocol/json-pointer';
import { ROW_ID_POINTER } from './airbyte-mapping';

/** Singer catalog entry fields the shim reads (any others are kept). */
export interface SingerCatalogEntry extends JsonObject {
  tap_stream_id: string;
  stream: string;
}

/** Resource config schema of the Singer shim (a Singer catalog entry without its schema). */
export const singerResourceConfigSchema: JsonObject = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'SingerResourceConfig',
  type: 'object',
  properties: {
    tap_stream_id: { type: 'string' },
    stream: { type: 'string' },
    replication_method: { type: 'string', enum: ['INCREMENTAL', 'FULL_TABLE', 'LOG_BASED'] },
    replication_key: { type: 'string' },
    key_properties: { type: 'array', items: { type: 'string' } },
    metadata: { type: 'array' },
  },
  required: ['tap_stream_id', 'stream', 'replication_method'],
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `metadata` entry of the top-level breadcrumb `[]`, if any. */
function streamMetadata(entry: JsonObject): JsonObject {
  const metadata = Array.isArray(entry.metadata) ? entry.metadata : [];
  for (const item of metadata) {
    if (
      isObject(item) &&
      Array.isArray(item.breadcrumb) &&
      item.breadcrumb.length === 0 &&
      isObject(item.metadata)
    ) {
      return item.metadata;
    }
  }
  return {};
}

/** Key properties of a stream (entry first, then `table-key-properties` metadata). */
function keyProperties(entry: JsonObject): string[] {
  const direct = entry.key_properties;
  const fromMetadata = streamMetadata(entry)['table-key-properties'];
  const keys =
    Array.isArray(direct) && direct.length > 0 ? direct : Array.isArray(fromMetadata) ? fromMetadata : [];
  return keys.filter((key): key is string => typeof key === 'string');
}

/** `replication_method` of an entry: explicit, else forced by metadata, else by replication key. */
export function replicationMethod(entry: JsonObject): string {
  if (typeof entry.replication_method === 'string') return entry.replication_method;
  const forced = streamMetadata(entry)['forced-replication-method'];
  if (typeof forced === 'string') return forced;
  return typeof replicationKey(entry) === 'string' ? 'INCREMENTAL' : 'FULL_TABLE';
}

function replicationKey(entry: JsonObject): string | undefined {
  if (typeof entry.replication_key === 'string') return entry.replication_key;
  const valid = streamMetadata(entry)['valid-replication-keys'];
  return Array.isArray(valid) && typeof valid[0] === 'string' ? valid[0] : undefined;
}

function withMeta(schema: JsonValue, schemaInference: boolean): JsonValue {
  const base = isObject(schema) ? schema : {};
  const properties = isObject(base.properties) ? base.properties : {};
  const required = Array.isArray(base.required) ? base.required.filter((name) => name !== '_meta') : [];
  return {
    ...base,
    properties: {
      ...properties,
      _meta: { type: 'object', properties: { row_id: { type: ['integer'] } }, required: ['row_id'] },
    },
    required: [...required, '_meta'],
    ...(schemaInference ? { 'x-infer-schema': true } : {}),
  };
}

/** Discovered bindings from a Singer catalog (section 2.3 mapping). */
export function discoveredBindingsFromSingerCatalog(
  catalog: JsonValue,
  options: { schemaInference: boolean },
): DiscoveredBinding[] {
  const streams = isObject(catalog) && Array.isArray(catalog.streams) ? catalog.streams : undefined;
  if (!streams) throw new FlowValidationError(["the tap's catalog has no 'streams' array"]);
  const problems: string[] = [];
  const bindings: DiscoveredBinding[] = [];
  for (const [index, raw] of streams.entries()) {
    if (!isObject(raw) || typeof raw.tap_stream_id !== 'string') {
      problems.push(`catalog stream ${index} has no tap_stream_id`);
      continue;
    }
    const { schema, ...rest } = raw;
    const method = replicationMethod(raw);
    const key = replicationKey(raw);
    if (method === 'INCREMENTAL' && key === undefined) {
      problems.push(`stream '${raw.tap_stream_id}' is INCREMENTAL without a replication_key`);
      continue;
    }
    const metadata = Array.isArray(rest.metadata)
      ? rest.metadata.map((item) =>
          isObject(item) && isObject(item.metadata) && item.metadata.inclusion === 'available'
            ? { ...item, metadata: { ...item.metadata, selected: true } }
            : item,
        )
      : [];
    const resourceConfig: JsonObject = {
      ...rest,
      stream: typeof rest.stream === 'string' ? rest.stream : raw.tap_stream_id,
      replication_method: method,
      ...(key === undefined ? {} : { replication_key: key }),
      metadata,
    };
    const keys = keyProperties(raw).map((property) =>
      property.startsWith('/') ? property : jsonPointerFromPath([property]),
    );
    bindings.push({
      recommendedName: raw.tap_stream_id,
      resourceConfig,
      documentSchema: withMeta(schema ?? {}, options.schemaInference),
      key: keys.length > 0 ? keys : [ROW_ID_POINTER],
    });
  }
  if (problems.length > 0) throw new FlowValidationError(problems);
  return bindings;
}

/** Reads a binding's resource config; throws {@link FlowValidationError} when unusable. */
export function parseSingerResourceConfig(value: JsonValue, where: string): SingerCatalogEntry {
  if (!isObject(value)) throw new FlowValidationError([`${where}: resource config must be an object`]);
  const { _meta: _ignored, ...entry } = value;
  const id = typeof entry.tap_stream_id === 'string' ? entry.tap_stream_id : entry.stream;
  if (typeof id !== 'string' || id === '')
    throw new FlowValidationError([`${where}: resource config needs a 'tap_stream_id'`]);
  const method = replicationMethod(entry);
  if (method === 'INCREMENTAL' && replicationKey(entry) === undefined) {
    throw new FlowValidationError([`${where}: stream '${id}' is INCREMENTAL without a replication_key`]);
  }
  return { ...entry, tap_stream_id: id, stream: typeof entry.stream === 'string' ? entry.stream : id };
}

/** The Singer catalog for `open`: each entry with the collection's write schema, selected. */
export function singerCatalogFor(
  entries: readonly SingerCatalogEntry[],
  schemas: readonly JsonValue[],
): JsonObject {
  return {
    streams: entries.map((entry, index) => {
      const metadata = Array.isArray(entry.metadata) ? [...entry.metadata] : [];
      const topIndex = metadata.findIndex(
        (item) => isObject(item) && Array.isArray(item.breadcrumb) && item.breadcrumb.length === 0,
      );
      const top = topIndex === -1 ? undefined : (metadata[topIndex] as JsonObject);
      const selected = {
        breadcrumb: [],
        metadata: { ...(top && isObject(top.metadata) ? top.metadata : {}), selected: true },
      };
      if (topIndex === -1) metadata.unshift(selected);
      else metadata[topIndex] = selected;
      return { ...entry, schema: schemas[index] ?? {}, metadata, selected: true };
    }),
  };
}
