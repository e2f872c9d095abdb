import { SecretMasker } from './secret-masker';

describe('SecretMasker', () => {
  it('masks airbyte_secret values found through properties, oneOf and items', () => {
    const spec = {
      type: 'object',
      properties: {
        api_key: { type: 'string', airbyte_secret: true },
        name: { type: 'string' },
        credentials: {
          oneOf: [
            { properties: { password: { type: 'string', airbyte_secret: true } } },
            { properties: { token: { type: 'string', airbyte_secret: true } } },
          ],
        },
        keys: { type: 'array', items: { type: 'string', airbyte_secret: true } },
        pin: { type: 'integer', airbyte_secret: true },
      },
    };
    const config = {
      api_key: 'AK-1',
      name: 'visible',
      credentials: { token: 'TK-22' },
      keys: ['K-a', 'K-b'],
      pin: 1234,
    };
    const masker = SecretMasker.fromSpec(spec, config);
    expect(masker.mask('AK-1 visible TK-22 K-a K-b 1234')).toBe('**** visible **** **** **** ****');
  });

  it('masks the longest secret first and ignores empty values', () => {
    const masker = new SecretMasker(['abc', 'abcdef', '']);
    expect(masker.mask('xabcdefx abc')).toBe('x****x ****');
    expect(new SecretMasker(['']).active).toBe(false);
  });
});
