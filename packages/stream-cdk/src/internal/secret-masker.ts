import type { JsonObject } from '../protocol/airbyte-protocol';

const MASK = '****';

/** Replaces every secret value (fields marked `airbyte_secret: true` in the spec) in text with `****`. */
export class SecretMasker {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string>) {
    // Longest first so that a secret containing another one is masked whole.
    this.secrets = [...new Set(secrets)]
      .filter((secret) => secret.length > 0)
      .sort((a, b) => b.length - a.length);
  }

  /** True when there is at least one secret to mask. */
  get active(): boolean {
    return this.secrets.length > 0;
  }

  mask(text: string): string {
    let masked = text;
    for (const secret of this.secrets) {
      if (masked.includes(secret)) masked = masked.split(secret).join(MASK);
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
