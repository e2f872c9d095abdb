import type { HttpAuthenticator } from './http-authenticator';

/** Options of {@link ApiKeyAuthenticator}: where the key goes. */
export type ApiKeyAuthenticatorOptions =
  | {
      /** Header carrying the key, e.g. `X-API-Key`. */
      header: string;
      /** Text before the key in the header, e.g. `'Token '`. Default: none. */
      prefix?: string;
    }
  | {
      /** Query parameter carrying the key, e.g. `api_key`. */
      queryParam: string;
    };

/**
 * An API key sent in a header (`{ header: 'X-API-Key' }`) or in the query string
 * (`{ queryParam: 'api_key' }`). Query strings never appear in this CDK's messages, and a key marked
 * `airbyte_secret` is masked in every log line anyway.
 */
export class ApiKeyAuthenticator implements HttpAuthenticator {
  constructor(
    private readonly apiKey: string,
    private readonly options: ApiKeyAuthenticatorOptions,
  ) {}

  async getAuthHeaders(): Promise<Record<string, string>> {
    if (!('header' in this.options)) return {};
    return { [this.options.header]: `${this.options.prefix ?? ''}${this.apiKey}` };
  }

  async getAuthQueryParams(): Promise<Record<string, string>> {
    if (!('queryParam' in this.options)) return {};
    return { [this.options.queryParam]: this.apiKey };
  }
}
