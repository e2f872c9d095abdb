import { FlowValidationError } from '../errors/flow-validation-error';
import {
  discoveredBindingsFromSingerCatalog,
  parseSingerResourceConfig,
  singerCatalogFor,
} from './singer-mapping';

describe('Singer mapping', () => {
  it('takes keys from metadata, keeps JSON pointers, escapes plain names, and infers methods', () => {
    const [byMetadata, pointer] = discoveredBindingsFromSingerCatalog(
      {
        streams: [
          {
            tap_stream_id: 'a',
            schema: {},
            metadata: [
              {
                breadcrumb: [],
                metadata: {
                  'table-key-properties': ['k/1'],
                  'valid-replication-keys': ['ts'],
                  inclusion: 'available',
                },
              },
            ],
          },
          { tap_stream_id: 'b', stream: 'bee', key_properties: ['/nested/id'], schema: {} },
        ],
      },
      { schemaInference: true },
    );
    expect(byMetadata?.key).toEqual(['/k~11']);
    expect(byMetadata?.resourceConfig).toMatchObject({
      stream: 'a',
      replication_method: 'INCREMENTAL',
      replication_key: 'ts',
    });
    expect(pointer?.key).toEqual(['/nested/id']);
    expect(pointer?.resourceConfig).toMatchObject({ stream: 'bee', replication_method: 'FULL_TABLE' });
  });

  it('lists every unusable catalog stream', () => {
    let caught: unknown;
    try {
      discoveredBindingsFromSingerCatalog(
        { streams: [{ stream: 'no id' }, { tap_stream_id: 'x', replication_method: 'INCREMENTAL' }] },
        { schemaInference: false },
      );
    } catch (error) {
      caught = error;
    }
    expect((caught as FlowValidationError).problems).toEqual([
      'catalog stream 0 has no tap_stream_id',
      "stream 'x' is INCREMENTAL without a replication_key",
    ]);
    expect(() => discoveredBindingsFromSingerCatalog({ nope: [] }, { schemaInference: false })).toThrow(
      FlowValidationError,
    );
  });

  it('drops the runtime _meta from resource configs and selects the stream in the catalog', () => {
    const entry = parseSingerResourceConfig(
      { tap_stream_id: 't', stream: 't', replication_method: 'FULL_TABLE', _meta: { path: ['t'] } },
      'binding 0',
    );
    expect(entry).not.toHaveProperty('_meta');
    const catalog = singerCatalogFor([entry], [{ type: 'object' }]);
    expect(catalog).toEqual({
      streams: [
        {
          tap_stream_id: 't',
          stream: 't',
          replication_method: 'FULL_TABLE',
          schema: { type: 'object' },
          metadata: [{ breadcrumb: [], metadata: { selected: true } }],
          selected: true,
        },
      ],
    });
  });
});
