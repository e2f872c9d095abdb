import { MIN_SUBSTRING_SECRET_LENGTH, SecretMasker } from './secret-masker';

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
    const masker = new SecretMasker(['abcd', 'abcdefgh', '']);
    expect(masker.mask('xabcdefghx abcd')).toBe('x****x ****');
    expect(new SecretMasker(['']).active).toBe(false);
  });

  it(`masks secrets of ${MIN_SUBSTRING_SECRET_LENGTH} characters or more wherever they appear`, () => {
    const masker = new SecretMasker(['hunter22']);
    expect(masker.mask('key=hunter22&x, xhunter22x, hunter22')).toBe('key=****&x, x****x, ****');
  });

  it('masks shorter secrets only as whole tokens, so a one-letter secret does not mask every letter', () => {
    const masker = new SecretMasker(['k', 'ab1']);
    expect(masker.mask('k')).toBe('****');
    expect(masker.mask('the key k was refused; token=ab1&limit=ab12 (ab1)')).toBe(
      'the key **** was refused; token=****&limit=ab12 (****)',
    );
    expect(masker.mask('kkk keep looking')).toBe('kkk keep looking');
  });

  it('masks JSON-escaped and URL-encoded forms of a secret', () => {
    const masker = new SecretMasker(['pa"ss word/+1']);
    expect(masker.mask(JSON.stringify({ password: 'pa"ss word/+1' }))).toBe('{"password":"****"}');
    expect(masker.mask('GET /x?p=pa%22ss%20word%2F%2B1')).toBe('GET /x?p=****');
    expect(masker.mask('p=pa%22ss+word%2F%2B1')).toBe('p=****');
  });

  it('takes a secret with a lone surrogate (valid JSON text) and masks its URL-encoded form (a URIError before, found while writing the fuzz tests)', () => {
    const secret = JSON.parse('"key\\ud800tail"') as string;
    const masker = SecretMasker.fromSpec(
      { type: 'object', properties: { api_key: { type: 'string', airbyte_secret: true } } },
      { api_key: secret },
    );
    expect(masker.mask(`token=${secret}`)).toBe('token=****');
    expect(masker.mask(`q=${new URLSearchParams({ s: secret }).toString().slice(2)}`)).toBe('q=****');
    expect(masker.mask('q=key%EF%BF%BDtail')).toBe('q=****');
  });

  it('treats regular-expression characters in short secrets literally', () => {
    const masker = new SecretMasker(['.*']);
    expect(masker.mask('a.*b matches nothing; .* alone is masked')).toBe(
      'a.*b matches nothing; **** alone is masked',
    );
  });
});
