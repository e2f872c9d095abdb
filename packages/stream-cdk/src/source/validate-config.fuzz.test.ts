import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { damaged, jsonDamageArbitrary } from '../__fixtures__/json-damage';
import { SampleSource } from '../__fixtures__/sample-source';
import { StreamCdkError } from '../errors/stream-cdk-error';
import { SecretMasker } from '../internal/secret-masker';
import { validateConfig } from './validate-config';

// Fuzzer of what the CLI does with a --config file before anything else: collect its secrets for
// masking (before validation, so that validation errors are masked too), then validate it against the
// spec. Invariant: masking never throws and masks every secret of 4 characters or more; validation
// passes or throws a ConfigValidationError (CDK_CONFIG_INVALID); never another throw.
// FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

const spec = new SampleSource().spec();
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code));

const config = fc.record({
  api_key: fc.oneof(
    fc.string({ unit: anyCodePoint, minLength: 4, maxLength: 8 }),
    fc.constantFrom('\ud800abcd', 'a%b+c d'),
  ),
  page_count: fc.integer({ min: -1, max: 3 }),
  page_size: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
});

describe('fuzz: --config (secret collection and validation)', () => {
  it('masks every secret and validates, or refuses with CDK_CONFIG_INVALID, for any config', () => {
    fc.assert(
      fc.property(config, jsonDamageArbitrary, (value, damage) => {
        // Through JSON text, as the file gives it.
        const input = JSON.parse(JSON.stringify(damage === undefined ? value : damaged(value, ...damage)));
        const masker = SecretMasker.fromSpec(spec.connectionSpecification, input);
        if (typeof input?.api_key === 'string' && input.api_key.length >= 4) {
          expect(masker.mask(`config ${JSON.stringify(input)}`)).not.toContain(input.api_key);
        }
        try {
          validateConfig(spec, input);
        } catch (error) {
          if (!StreamCdkError.isInstance(error) || error.code !== 'CDK_CONFIG_INVALID') throw error;
        }
      }),
      fuzzParameters(300),
    );
  });
});
