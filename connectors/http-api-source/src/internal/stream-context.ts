import {
  BearerTokenAuthenticator,
  type HttpAuthenticator,
  OAuth2RefreshTokenAuthenticator,
  type RetryPolicy,
} from '@sdk/stream-cdk';
import { HTTP_API_SOURCE_DEFAULTS, type HttpApiSourceConfig } from '../http-api-source-config';

/** What every stream of one read shares: one authenticator (one token refresh), URLs and limits. */
export interface StreamContext {
  /** `<base_url>/v1`. */
  apiUrl: string;
  authenticator: HttpAuthenticator;
  pageSize: number;
  retryPolicy: Partial<RetryPolicy>;
  startDate: string | undefined;
}

/** Builds the shared context of a config already validated against the spec. */
export function createStreamContext(config: HttpApiSourceConfig): StreamContext {
  const baseUrl = config.base_url.replace(/\/+$/, '');
  const useOAuth =
    config.client_id !== undefined &&
    config.client_secret !== undefined &&
    config.refresh_token !== undefined;
  const authenticator: HttpAuthenticator = useOAuth
    ? new OAuth2RefreshTokenAuthenticator({
        tokenUrl: config.token_url ?? `${baseUrl}/oauth/token`,
        clientId: config.client_id as string,
        clientSecret: config.client_secret as string,
        refreshToken: config.refresh_token as string,
        timeoutMs: config.request_timeout_ms ?? HTTP_API_SOURCE_DEFAULTS.requestTimeoutMs,
      })
    : new BearerTokenAuthenticator(config.api_key ?? '');
  return {
    apiUrl: `${baseUrl}/v1`,
    authenticator,
    pageSize: config.page_size ?? HTTP_API_SOURCE_DEFAULTS.pageSize,
    retryPolicy: {
      maxRetries: config.max_retries ?? HTTP_API_SOURCE_DEFAULTS.maxRetries,
      baseDelayMs: config.retry_base_delay_ms ?? HTTP_API_SOURCE_DEFAULTS.retryBaseDelayMs,
      timeoutMs: config.request_timeout_ms ?? HTTP_API_SOURCE_DEFAULTS.requestTimeoutMs,
    },
    startDate: config.start_date,
  };
}
