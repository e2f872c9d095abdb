import { AuthenticationError } from '../errors/authentication-error';
import type { HttpAuthenticator } from './http-authenticator';

/** Options of {@link OAuth2RefreshTokenAuthenticator}. */
export interface OAuth2RefreshTokenOptions {
  /** Token endpoint URL. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Extra form fields (e.g. `scope`). Default: none. */
  extraParams?: Record<string, string>;
  /** Refresh this long before the token expires. Default 60 000 ms. */
  expiryMarginMs?: number;
  /** Lifetime assumed when the endpoint sends no `expires_in`. Default 3 600 000 ms. */
  defaultLifetimeMs?: number;
  /** Timeout of the token request. Default 30 000 ms. */
  timeoutMs?: number;
  /** Called when the endpoint rotates the refresh token, so the caller can persist it. */
  onRefreshTokenRotated?: (refreshToken: string) => void;
  /** Clock, for tests. Default `Date.now`. */
  nowMs?: () => number;
}

/**
 * OAuth2 refresh-token flow: POSTs `grant_type=refresh_token` (form encoded) to the token endpoint,
 * caches the access token until shortly before `expires_in`, and keeps a rotated refresh token.
 * Concurrent callers share one refresh. Failures are {@link AuthenticationError}s (`config_error`).
 */
export class OAuth2RefreshTokenAuthenticator implements HttpAuthenticator {
  private accessToken: string | undefined;
  private expiresAtMs = 0;
  private refreshToken: string;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: OAuth2RefreshTokenOptions) {
    this.refreshToken = options.refreshToken;
    this.now = options.nowMs ?? Date.now;
  }

  async getAuthHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.getAccessToken(signal)}` };
  }

  /** A valid access token, refreshing it first when missing or about to expire. */
  async getAccessToken(signal?: AbortSignal): Promise<string> {
    const marginMs = this.options.expiryMarginMs ?? 60_000;
    if (this.accessToken !== undefined && this.now() < this.expiresAtMs - marginMs) return this.accessToken;
    this.pending ??= this.refresh(signal).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(signal?: AbortSignal): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      refresh_token: this.refreshToken,
      ...this.options.extraParams,
    });
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    let response: Response;
    try {
      response = await fetch(this.options.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new AuthenticationError(
        `token request to ${safeUrl(this.options.tokenUrl)} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const payload = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!response.ok || typeof payload?.access_token !== 'string') {
      const reason = typeof payload?.error === 'string' ? ` (${payload.error})` : '';
      throw new AuthenticationError(
        `token endpoint ${safeUrl(this.options.tokenUrl)} answered ${response.status}${reason} without an access_token`,
        { status: response.status },
      );
    }
    const lifetimeMs =
      typeof payload.expires_in === 'number'
        ? payload.expires_in * 1000
        : (this.options.defaultLifetimeMs ?? 3_600_000);
    this.accessToken = payload.access_token;
    this.expiresAtMs = this.now() + lifetimeMs;
    if (typeof payload.refresh_token === 'string' && payload.refresh_token !== this.refreshToken) {
      this.refreshToken = payload.refresh_token;
      this.options.onRefreshTokenRotated?.(payload.refresh_token);
    }
    return payload.access_token;
  }
}

function safeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
