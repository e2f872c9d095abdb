import type { ConnectorSpecification, JsonObject } from '@sdk/stream-cdk';

/**
 * The connector's config (the `--config` file). Authenticate either with the OAuth2 refresh-token
 * trio (`client_id`, `client_secret`, `refresh_token`) or with a long-lived `api_key`; when both are
 * given, OAuth2 wins.
 */
export interface HttpApiSourceConfig extends JsonObject {
  /** Root of the API without `/v1`, e.g. `http://127.0.0.1:40123`. */
  base_url: string;
  /** OAuth2 client id. */
  client_id?: string;
  /** OAuth2 client secret (masked in every log). */
  client_secret?: string;
  /** OAuth2 refresh token exchanged for access tokens (masked in every log). */
  refresh_token?: string;
  /** Static bearer token, used when the OAuth2 fields are absent (masked in every log). */
  api_key?: string;
  /** OAuth2 token endpoint. Defaults to `<base_url>/oauth/token`. */
  token_url?: string;
  /** Records requested per page (the API caps it at 500). Defaults to 100. */
  page_size?: number;
  /** ISO-8601 timestamp: orders updated before it are never read. Defaults to none (all orders). */
  start_date?: string;
  /** Retries of one request after 429, 5xx, timeouts and network errors. Defaults to 5. */
  max_retries?: number;
  /** First backoff delay when the API sends no `Retry-After`, doubling per retry. Defaults to 1,000 ms. */
  retry_base_delay_ms?: number;
  /** Timeout of one HTTP attempt. Defaults to 30,000 ms. */
  request_timeout_ms?: number;
}

/** Defaults of the optional config fields. */
export const HTTP_API_SOURCE_DEFAULTS = Object.freeze({
  pageSize: 100,
  maxRetries: 5,
  retryBaseDelayMs: 1_000,
  requestTimeoutMs: 30_000,
});

/** The connector specification: the JSON schema every config is validated against before use. */
export function httpApiSourceSpec(): ConnectorSpecification {
  return {
    documentationUrl: 'https://example.invalid/connectors/http-api-source',
    supportsIncremental: true,
    supported_destination_sync_modes: ['overwrite', 'append', 'append_dedup'],
    connectionSpecification: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Sample HTTP API source',
      type: 'object',
      required: ['base_url'],
      // Either OAuth2 (preferred) or a static API key.
      anyOf: [{ required: ['client_id', 'client_secret', 'refresh_token'] }, { required: ['api_key'] }],
      additionalProperties: false,
      properties: {
        base_url: {
          type: 'string',
          format: 'uri',
          pattern: '^https?://',
          title: 'Base URL',
          description: 'Root of the API, without /v1.',
          order: 0,
        },
        client_id: { type: 'string', minLength: 1, title: 'OAuth2 client id', order: 1 },
        client_secret: {
          type: 'string',
          minLength: 1,
          title: 'OAuth2 client secret',
          airbyte_secret: true,
          order: 2,
        },
        refresh_token: {
          type: 'string',
          minLength: 1,
          title: 'OAuth2 refresh token',
          airbyte_secret: true,
          order: 3,
        },
        api_key: {
          type: 'string',
          minLength: 1,
          title: 'API key',
          description: 'Static bearer token, used when the OAuth2 fields are absent.',
          airbyte_secret: true,
          order: 4,
        },
        token_url: {
          type: 'string',
          format: 'uri',
          title: 'Token URL',
          description: 'OAuth2 token endpoint. Defaults to <base_url>/oauth/token.',
          order: 5,
        },
        page_size: {
          type: 'integer',
          minimum: 1,
          maximum: 500,
          default: HTTP_API_SOURCE_DEFAULTS.pageSize,
          title: 'Page size',
          order: 6,
        },
        start_date: {
          type: 'string',
          format: 'date-time',
          title: 'Start date',
          description: 'Orders updated before this timestamp are not read.',
          order: 7,
        },
        max_retries: {
          type: 'integer',
          minimum: 0,
          maximum: 20,
          default: HTTP_API_SOURCE_DEFAULTS.maxRetries,
          title: 'Retries per request',
          order: 8,
        },
        retry_base_delay_ms: {
          type: 'integer',
          minimum: 0,
          default: HTTP_API_SOURCE_DEFAULTS.retryBaseDelayMs,
          title: 'First retry delay (ms)',
          description: 'Used when the API sends no Retry-After; doubles per retry, with jitter.',
          order: 9,
        },
        request_timeout_ms: {
          type: 'integer',
          minimum: 1,
          default: HTTP_API_SOURCE_DEFAULTS.requestTimeoutMs,
          title: 'Request timeout (ms)',
          order: 10,
        },
      },
    },
  };
}
