import { FlowValidationError } from '../errors/flow-validation-error';
import type { CaptureBinding } from '../protocol/flow-specs';
import {
  airbyteResourcePath,
  configuredCatalogFor,
  discoveredBindingsFromCatalog,
  parseAirbyteResourceConfig,
  primaryKeyPointers,
  validateAirbyteBindings,
} from './airbyte-mapping';

describe('Airbyte mapping', () => {
  it('escapes nested primary key paths and reads a flat key per field (not per character)', () => {
    expect(primaryKeyPointers([['a/b', 'c~d'], ['id']])).toEqual(['/a~1b/c~0d', '/id']);
    expect(primaryKeyPointers(['id', 'tenant'])).toEqual(['/id', '/tenant']);
    expect(primaryKeyPointers(undefined)).toEqual([]);
  });

  it('refuses streams without a usable sync mode, listing all of them', () => {
    let caught: unknown;
    try {
      discoveredBindingsFromCatalog(
        [
          { name: 'a', json_schema: {}, supported_sync_modes: [] },
          { name: 'b', json_schema: {}, supported_sync_modes: ['cdc'] },
        ],
        { schemaInference: false },
      );
    } catch (error) {
      caught = error;
    }
    expect(FlowValidationError.isInstance(caught)).toBe(true);
    expect((caught as FlowValidationError).problems).toHaveLength(2);
  });

  it('keeps schema inference off when asked', () => {
    const [binding] = discoveredBindingsFromCatalog([{ name: 'a', json_schema: { type: 'object' } }], {
      schemaInference: false,
    });
    expect(binding?.documentSchema).not.toHaveProperty('x-infer-schema');
    expect(binding?.resourceConfig).toEqual({ stream: 'a', syncMode: 'full_refresh' });
  });

  it('parses resource configs leniently (snake_case, _meta) and derives resource paths', () => {
    const config = parseAirbyteResourceConfig(
      { stream: 's', sync_mode: 'incremental', namespace: 'ns', cursor_field: ['u'], _meta: { path: ['x'] } },
      'binding 0',
    );
    expect(config).toEqual({ stream: 's', syncMode: 'incremental', namespace: 'ns', cursorField: ['u'] });
    expect(airbyteResourcePath(config)).toEqual(['ns', 's']);
    expect(() => parseAirbyteResourceConfig({ syncMode: 'incremental' }, 'binding 1')).toThrow(
      FlowValidationError,
    );
    expect(() => parseAirbyteResourceConfig({ stream: 's', syncMode: 'append' }, 'binding 2')).toThrow(
      FlowValidationError,
    );
  });

  it('validates bindings against discovery: unknown streams, unsupported modes, duplicates', () => {
    const streams = [{ name: 'users', json_schema: {}, supported_sync_modes: ['full_refresh'] }];
    let caught: unknown;
    try {
      validateAirbyteBindings(
        [
          { stream: 'users', syncMode: 'incremental' },
          { stream: 'users', syncMode: 'full_refresh' },
          { stream: 'ghosts', syncMode: 'full_refresh' },
        ],
        streams,
      );
    } catch (error) {
      caught = error;
    }
    expect((caught as FlowValidationError).problems).toEqual([
      "stream 'users' does not support syncMode 'incremental' (supports full_refresh)",
      "stream 'users' is bound more than once",
      "stream 'ghosts' was not found by discovery",
    ]);
  });

  it('builds the configured catalog from collection keys (unescaped) and write schemas', () => {
    const binding = (key: string[]): CaptureBinding => ({
      resourceConfig: {},
      resourcePath: [],
      stateKey: 'k',
      backfill: 0,
      collection: {
        name: 'c',
        writeSchema: { w: 1 },
        readSchema: { w: 1 },
        key,
        uuidPtr: '/_meta/uuid',
        partitionFields: [],
        projections: [],
      },
    });
    const catalog = configuredCatalogFor(
      [binding(['/a~1b/c~0d']), binding(['/_meta/row_id'])],
      [
        { stream: 'x', syncMode: 'incremental', cursorField: ['u'] },
        { stream: 'y', syncMode: 'full_refresh', namespace: 'ns' },
      ],
    );
    expect(catalog.streams[0]).toEqual({
      stream: {
        name: 'x',
        json_schema: { w: 1 },
        supported_sync_modes: ['incremental'],
        source_defined_primary_key: [['a/b', 'c~d']],
      },
      sync_mode: 'incremental',
      destination_sync_mode: 'append',
      cursor_field: ['u'],
      primary_key: [['a/b', 'c~d']],
    });
    expect(catalog.streams[1]?.stream).toEqual({
      name: 'y',
      namespace: 'ns',
      json_schema: { w: 1 },
      supported_sync_modes: ['full_refresh'],
    });
  });
});
