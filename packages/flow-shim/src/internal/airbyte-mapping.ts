import type { AirbyteStreamDefinition, ConfiguredCatalog } from '../airbyte/airbyte-driver';
import { FlowValidationError } from '../errors/flow-validation-error';
import type { DiscoveredBinding } from '../protocol/capture-response';
import type { CaptureBinding, JsonObject, JsonValue } from '../protocol/flow-specs';
import { jsonPointerFromPath } from '../protocol/json-pointer';

/** Resource config of an Airbyte-shim binding (the Python shim's layout). */
export interface AirbyteResourceConfig {
  stream: string;
  syncMode: 'incremental' | 'full_refresh';
  namespace?: string;
  cursorField?: string[];
}

/** Key of collections whose stream has no primary key: a row counter kept by the shim. */
export const ROW_ID_POINTER = '/_meta/row_id';

/** Fixed resource config schema (same fields as the Python shims' `ResourceSpec`). */
export const airbyteResourceConfigSchema: JsonObject = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'ResourceSpec',
  type: 'object',
  properties: {
    stream: { type: 'string' },
    syncMode: { type: 'string', enum: ['incremental', 'full_refresh'] },
    namespace: { type: ['string', 'null'] },
    cursorField: { type: ['array', 'null'], items: { type: 'string' } },
  },
  required: ['stream', 'syncMode'],
};

/** Resource path pointers of the Airbyte shim. */
export const airbyteResourcePathPointers = ['/namespace', '/stream'];

/** Identifies a stream by namespace and name. */
export function streamId(name: string, namespace: string | null | undefined): string {
  return namespace ? `${namespace}.${name}` : name;
}

/** Collection key pointers from an Airbyte primary key (nested or, leniently, flat). */
export function primaryKeyPointers(
  primaryKey: AirbyteStreamDefinition['source_defined_primary_key'],
): string[] {
  if (!primaryKey || primaryKey.length === 0) return [];
  // A flat ['id'] is one component per field (the legacy shim iterated its characters: '/i/d').
  return primaryKey.map((component) =>
    jsonPointerFromPath(typeof component === 'string' ? [component] : component),
  );
}

function withRowIdMeta(schema: JsonValue, schemaInference: boolean): JsonValue {
  const base = typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? schema : {};
  const properties =
    typeof base.properties === 'object' && base.properties !== null && !Array.isArray(base.properties)
      ? base.properties
      : {};
  return {
    ...base,
    properties: {
      ...properties,
      _meta: { type: 'object', properties: { row_id: { type: 'integer' } }, required: ['row_id'] },
    },
    ...(schemaInference ? { 'x-infer-schema': true } : {}),
  };
}

/** Discovered bindings for a discovered Airbyte catalog (section 2.2 mapping). */
export function discoveredBindingsFromCatalog(
  streams: readonly AirbyteStreamDefinition[],
  options: { schemaInference: boolean },
): DiscoveredBinding[] {
  const problems: string[] = [];
  const bindings: DiscoveredBinding[] = [];
  for (const stream of streams) {
    const modes = stream.supported_sync_modes ?? ['full_refresh'];
    const syncMode = modes.includes('incremental')
      ? 'incremental'
      : modes.includes('full_refresh')
        ? 'full_refresh'
        : undefined;
    if (syncMode === undefined) {
      problems.push(
        `stream '${streamId(stream.name, stream.namespace)}' has invalid sync modes ${JSON.stringify(modes)}`,
      );
      continue;
    }
    const resourceConfig: JsonObject = { stream: stream.name, syncMode };
    if (stream.namespace) resourceConfig.namespace = stream.namespace;
    if (stream.default_cursor_field && stream.default_cursor_field.length > 0) {
      resourceConfig.cursorField = stream.default_cursor_field;
    }
    const key = primaryKeyPointers(stream.source_defined_primary_key);
    bindings.push({
      recommendedName: stream.name,
      resourceConfig,
      documentSchema: withRowIdMeta(stream.json_schema, options.schemaInference),
      key: key.length > 0 ? key : [ROW_ID_POINTER],
    });
  }
  if (problems.length > 0) throw new FlowValidationError(problems);
  return bindings;
}

/** Reads a binding's resource config leniently; throws when `stream` is missing. */
export function parseAirbyteResourceConfig(value: JsonValue, where: string): AirbyteResourceConfig {
  const source = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  const stream = source.stream;
  if (typeof stream !== 'string' || stream === '') {
    throw new FlowValidationError([`${where}: resource config needs a 'stream' name`]);
  }
  const syncMode = source.syncMode ?? source.sync_mode;
  if (syncMode !== undefined && syncMode !== 'incremental' && syncMode !== 'full_refresh') {
    throw new FlowValidationError([`${where}: syncMode must be 'incremental' or 'full_refresh'`]);
  }
  const config: AirbyteResourceConfig = { stream, syncMode: syncMode ?? 'full_refresh' };
  if (typeof source.namespace === 'string' && source.namespace !== '') config.namespace = source.namespace;
  const cursorField = source.cursorField ?? source.cursor_field;
  if (Array.isArray(cursorField) && cursorField.every((part) => typeof part === 'string')) {
    config.cursorField = cursorField as string[];
  }
  return config;
}

/** Resource path of a binding: `[namespace, stream]`, or `[stream]` without namespace. */
export function airbyteResourcePath(config: AirbyteResourceConfig): string[] {
  return config.namespace ? [config.namespace, config.stream] : [config.stream];
}

/** Checks proposed bindings against the discovered streams; lists every problem. */
export function validateAirbyteBindings(
  configs: readonly AirbyteResourceConfig[],
  streams: readonly AirbyteStreamDefinition[],
): void {
  const byId = new Map(streams.map((stream) => [streamId(stream.name, stream.namespace), stream]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const config of configs) {
    const id = streamId(config.stream, config.namespace);
    const stream = byId.get(id);
    if (seen.has(id)) problems.push(`stream '${id}' is bound more than once`);
    seen.add(id);
    if (!stream) {
      problems.push(`stream '${id}' was not found by discovery`);
      continue;
    }
    const modes = stream.supported_sync_modes ?? ['full_refresh'];
    if (!modes.includes(config.syncMode)) {
      problems.push(
        `stream '${id}' does not support syncMode '${config.syncMode}' (supports ${modes.join(', ')})`,
      );
    }
  }
  if (problems.length > 0) throw new FlowValidationError(problems);
}

/** The configured catalog for the bindings of an `open` (collection write schemas as stream schemas). */
export function configuredCatalogFor(
  bindings: readonly CaptureBinding[],
  configs: readonly AirbyteResourceConfig[],
): ConfiguredCatalog {
  return {
    streams: bindings.map((binding, index) => {
      const config = configs[index] as AirbyteResourceConfig;
      const primaryKey = binding.collection.key
        .filter((pointer) => pointer !== ROW_ID_POINTER)
        .map((pointer) =>
          pointer
            .split('/')
            .slice(1)
            .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~')),
        );
      return {
        stream: {
          name: config.stream,
          ...(config.namespace ? { namespace: config.namespace } : {}),
          json_schema: binding.collection.writeSchema,
          supported_sync_modes: [config.syncMode],
          ...(primaryKey.length > 0 ? { source_defined_primary_key: primaryKey } : {}),
        },
        sync_mode: config.syncMode,
        destination_sync_mode: 'append' as const,
        ...(config.cursorField ? { cursor_field: config.cursorField } : {}),
        ...(primaryKey.length > 0 ? { primary_key: primaryKey } : {}),
      };
    }),
  };
}
