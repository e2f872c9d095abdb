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
  /**
   * Refresh this long before the token expires, at most. Default 60 000 ms. The margin actually used
   * is also at most `expiryMarginRatio` of the token's lifetime, so short-lived tokens are still used.
   */
  expiryMarginMs?: number;
  /**
   * Largest share of a token's lifetime spent in the refresh margin (0 to 1). Default 0.1: a 1 s
   * token is refreshed 100 ms before it expires, a 1 h token 60 s before (the `expiryMarginMs` cap).
   */
  expiryMarginRatio?: number;
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
 * caches the access token until shortly before `expires_in` (a margin of `expiryMarginMs`, at most
 * `expiryMarginRatio` of the lifetime), and keeps a rotated refresh token. At most one refresh is in
 * flight: concurrent callers share it. A request answered 401 calls `invalidate`, which drops the
 * rejected token (once per token, however many requests were rejected) so the request is retried
 * once with a fresh one. Failures are {@link AuthenticationError}s (`config_error`).
 */
export class OAuth2RefreshTokenAuthenticator implements HttpAuthenticator {
  private accessToken: string | undefined;
  private refreshAtMs = 0;
  private refreshToken: string;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;
  private refreshCount = 0;

  constructor(private readonly options: OAuth2RefreshTokenOptions) {
    this.refreshToken = options.refreshToken;
    this.now = options.nowMs ?? Date.now;
  }

  /** How many tokens this authenticator has fetched (for monitoring and tests). */
  get refreshes(): number {
    return this.refreshCount;
  }

  async getAuthHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.getAccessToken(signal)}` };
  }

  /**
   * A valid access token, refreshing it first when missing or about to expire. `signal` stops this
   * caller's wait only; a refresh shared with other callers runs on with its own timeout.
   */
  async getAccessToken(signal?: AbortSignal): Promise<string> {
    if (this.accessToken !== undefined && this.now() < this.refreshAtMs) return this.accessToken;
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    if (signal === undefined) return this.pending;
    signal.throwIfAborted();
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      (this.pending as Promise<string>).then(
        (token) => {
          signal.removeEventListener('abort', onAbort);
          resolve(token);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /**
   * Drops the access token the server rejected with 401, so the next call refreshes. Returns false
   * (no retry) when the rejected headers hold no token of this authenticator. A token already
   * replaced by a newer one is not dropped again: the retry simply uses the newer one.
   */
  invalidate(rejectedHeaders: Readonly<Record<string, string>>): boolean {
    const rejected = rejectedHeaders.Authorization;
    if (rejected === undefined || !rejected.startsWith('Bearer ')) return false;
    if (this.accessToken !== undefined && rejected === `Bearer ${this.accessToken}`) {
      this.accessToken = undefined;
      this.refreshAtMs = 0;
    }
    return true;
  }

  private async refresh(): Promise<string> {
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
        signal: timeout,
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
    const maxMarginMs = this.options.expiryMarginMs ?? 60_000;
    const ratio = Math.min(1, Math.max(0, this.options.expiryMarginRatio ?? 0.1));
    const marginMs = Math.min(maxMarginMs, lifetimeMs * ratio);
    this.refreshCount++;
    this.accessToken = payload.access_token;
    this.refreshAtMs = this.now() + lifetimeMs - marginMs;
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
