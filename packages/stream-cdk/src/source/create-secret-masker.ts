import { SecretMasker } from '../internal/secret-masker';

/** Masks a config's secrets in text (see {@link createSecretMasker}). */
export interface TextMasker {
  /** `text` with every secret value replaced by `****`. */
  mask(text: string): string;
}

/**
 * The masker this CDK applies to every LOG and TRACE, for code that reports on a source's behalf (an
 * adapter to another engine, say): it masks every config value at a path the spec marks
 * `airbyte_secret: true` (through `properties`, `oneOf`/`anyOf`/`allOf` and array `items`), with
 * secrets shorter than 4 characters masked only as whole tokens, so they never garble a message.
 */
export function createSecretMasker(connectionSpecification: unknown, config: unknown): TextMasker {
  return SecretMasker.fromSpec(connectionSpecification, config);
}
