import type { JsonObject } from '../protocol/airbyte-protocol';

const MASK = '****';

/**
 * Secrets shorter than this many characters are masked only where they stand as a whole token (not
 * touching a letter, digit or `_`); longer ones are masked wherever they appear. A one-letter secret
 * masked everywhere would turn every message into noise, and a short value inside a word is not the
 * secret being quoted.
 */
export const MIN_SUBSTRING_SECRET_LENGTH = 4;

interface SecretPattern {
  /** The text to find. */
  text: string;
  /** Whole tokens only (short secrets), as a global regular expression; undefined: every occurrence. */
  tokenPattern: RegExp | undefined;
}

/**
 * Replaces every secret value (fields marked `airbyte_secret: true` in the spec) in text with `****`:
 * the value as it is, JSON-escaped (as inside a serialised config) and URL-encoded (as in a query
 * string). Values of {@link MIN_SUBSTRING_SECRET_LENGTH} characters or more are masked wherever they
 * appear; shorter ones only as whole tokens.
 */
export class SecretMasker {
  private readonly patterns: SecretPattern[];

  constructor(secrets: Iterable<string>) {
    const byText = new Map<string, SecretPattern>();
    for (const secret of new Set(secrets)) {
      if (secret.length === 0) continue;
      const short = secret.length < MIN_SUBSTRING_SECRET_LENGTH;
      for (const text of encodings(secret)) {
        if (byText.has(text)) continue;
        byText.set(text, {
          text,
          tokenPattern: short
            ? new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(text)}(?![\\p{L}\\p{N}_])`, 'gu')
            : undefined,
        });
      }
    }
    // Longest first so that a secret containing another one is masked whole.
    this.patterns = [...byText.values()].sort((a, b) => b.text.length - a.text.length);
  }

  /** True when there is at least one secret to mask. */
  get active(): boolean {
    return this.patterns.length > 0;
  }

  mask(text: string): string {
    let masked = text;
    for (const { text: secret, tokenPattern } of this.patterns) {
      if (!masked.includes(secret)) continue;
      masked =
        tokenPattern === undefined ? masked.split(secret).join(MASK) : masked.replace(tokenPattern, MASK);
    }
    return masked;
  }

  /**
   * Collects secret values: every config value at a path the schema marks `airbyte_secret: true`,
   * looking through `properties`, `oneOf`/`anyOf`/`allOf` branches and array `items`.
   */
  static fromSpec(connectionSpecification: unknown, config: unknown): SecretMasker {
    const secrets: string[] = [];
    collectSecrets(connectionSpecification, config, secrets);
    return new SecretMasker(secrets);
  }
}

function collectSecrets(schema: unknown, value: unknown, out: string[]): void {
  if (typeof schema !== 'object' || schema === null || value === undefined || value === null) return;
  const node = schema as JsonObject;
  if (node.airbyte_secret === true) {
    addSecretValues(value, out);
    return;
  }
  for (const keyword of ['oneOf', 'anyOf', 'allOf']) {
    const branches = node[keyword];
    if (Array.isArray(branches)) for (const branch of branches) collectSecrets(branch, value, out);
  }
  if (Array.isArray(value)) {
    for (const item of value) collectSecrets(node.items, item, out);
    return;
  }
  const properties = node.properties;
  if (typeof value === 'object' && typeof properties === 'object' && properties !== null) {
    for (const [key, childSchema] of Object.entries(properties)) {
      collectSecrets(childSchema, (value as JsonObject)[key], out);
    }
  }
}

function addSecretValues(value: unknown, out: string[]): void {
  if (typeof value === 'string' || typeof value === 'number') {
    out.push(String(value));
  } else if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) addSecretValues(child, out);
  }
}

/** The secret as it is, JSON-escaped and URL-encoded (query string and form), without repeats. */
function encodings(secret: string): string[] {
  // encodeURIComponent throws on a lone surrogate (valid in JSON text: "\ud800"); URL encoders write
  // it as U+FFFD, so that is the form to mask.
  const wellFormed = Buffer.from(secret, 'utf8').toString('utf8');
  return [
    ...new Set([
      secret,
      JSON.stringify(secret).slice(1, -1),
      encodeURIComponent(wellFormed),
      new URLSearchParams({ s: secret }).toString().slice(2),
    ]),
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
