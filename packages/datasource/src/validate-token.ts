import type { DataSource } from './data-source';
import { TokenValidationError } from './errors/token-validation-error';
import { sleepMs } from './internal/sleep-ms';
import { backoffDelayMs } from './retry/backoff';
import type { ErrorClass } from './wrap-errors';

/** An error class (matched with `instanceof`, subclasses included) or a predicate. */
export type ErrorMatcher = ErrorClass | ((error: unknown) => boolean);

/** Options of {@link validateToken}. */
export interface ValidateTokenOptions {
  /**
   * Errors that mean "the access token expired". Defaults to `[]`, which matches NOTHING, as in
   * Panoply (whose docstring claims otherwise): list the classes your API client throws.
   */
  exceptions?: readonly ErrorMatcher[];
  /**
   * Called with the new access token after a refresh: a function, or the name of a method of the
   * data source (called on it). Defaults to none.
   */
  callback?: ((accessToken: string) => unknown) | string;
  /** Key of the access token in `source` and in the refresh response. Defaults to `'access_token'`. */
  accessKey?: string;
  /** Key of the refresh token in `source` and in the posted form. Defaults to `'refresh_token'`. */
  refreshKey?: string;
  /** Refresh POST attempts, the first included. Defaults to 3. */
  maxRefreshAttempts?: number;
  /**
   * Ceiling of the delay before the second attempt, doubled after each; each delay is drawn from
   * [0, ceiling] (full jitter, see {@link backoffDelayMs}). Defaults to 1000 ms.
   */
  retryBaseDelayMs?: number;
  /** Cap of that ceiling. Defaults to 10 000 ms. */
  maxRetryDelayMs?: number;
  /**
   * Cap of the delay a failed answer asks for in its `Retry-After` header, which wins over the backoff.
   * Defaults to 600 000 ms.
   */
  maxRetryAfterMs?: number;
  /** Timeout of one refresh POST. Defaults to 30 000 ms. */
  requestTimeoutMs?: number;
}

class RefreshHttpError extends Error {
  readonly responseText: string;
  /** The answer's `Retry-After` header, null without one. */
  readonly retryAfter: string | null;
  constructor(status: number, responseText: string, retryAfter: string | null) {
    super(`HTTP ${status} from the token endpoint`);
    this.responseText = responseText;
    this.retryAfter = retryAfter;
  }
}

function matchesAny(error: unknown, matchers: readonly ErrorMatcher[]): boolean {
  return matchers.some((matcher) => {
    try {
      return error instanceof (matcher as ErrorClass);
    } catch {
      // Not a class (instanceof throws on arrow functions): a predicate.
      return (matcher as (error: unknown) => boolean)(error) === true;
    }
  });
}

async function postRefresh(
  url: string,
  form: URLSearchParams,
  options: ValidateTokenOptions,
): Promise<unknown> {
  const attempts = options.maxRefreshAttempts ?? 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000),
      });
      const text = await response.text();
      if (!response.ok)
        throw new RefreshHttpError(response.status, text, response.headers.get('retry-after'));
      return JSON.parse(text) as unknown;
    } catch (error) {
      lastError = error;
      if (attempt < attempts) {
        const delayMs = backoffDelayMs(
          attempt - 1,
          {
            baseDelayMs: options.retryBaseDelayMs ?? 1000,
            maxDelayMs: options.maxRetryDelayMs ?? 10_000,
            ...(options.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: options.maxRetryAfterMs }),
          },
          error instanceof RefreshHttpError ? error.retryAfter : null,
        );
        await sleepMs(delayMs, true);
      }
    }
  }
  throw lastError;
}

/**
 * Refreshes the OAuth2 access token of `dataSource` as `validateToken` does, without retrying any
 * method: clears `source[accessKey]`, form-POSTs `{ ...options.refresh, [refreshKey]: token }` to
 * `refreshUrl` (retried with backoff on network errors and HTTP >= 400), stores the new token, fires
 * `source-change` with only that key and calls the callback. Any failure throws a non-retryable
 * {@link TokenValidationError} and leaves the token cleared.
 */
export async function refreshAccessToken(
  dataSource: DataSource,
  refreshUrl: string,
  options: ValidateTokenOptions = {},
): Promise<string> {
  const accessKey = options.accessKey ?? 'access_token';
  const refreshKey = options.refreshKey ?? 'refresh_token';
  dataSource.log('Revalidating the access token...');
  const source = dataSource.source as Record<string, unknown>;
  source[accessKey] = null;
  try {
    const clientFields = dataSource.options.refresh;
    if (typeof clientFields !== 'object' || clientFields === null) {
      throw new Error('options.refresh (the OAuth client fields) is missing');
    }
    const form = new URLSearchParams({ ...clientFields, [refreshKey]: String(source[refreshKey] ?? '') });
    const answer = await postRefresh(refreshUrl, form, options);
    const token = (answer as Record<string, unknown> | null)?.[accessKey];
    if (typeof token !== 'string' || token === '') {
      throw new Error(`the token endpoint answered without a string "${accessKey}"`);
    }
    source[accessKey] = token;
    dataSource.fire('source-change', { [accessKey]: token });
    const callback = options.callback;
    if (typeof callback === 'function') {
      await callback(token);
    } else if (typeof callback === 'string') {
      const method = (dataSource as unknown as Record<string, unknown>)[callback];
      if (typeof method !== 'function') throw new Error(`callback method "${callback}" does not exist`);
      await (method as (token: string) => unknown).call(dataSource, token);
    }
    return token;
  } catch (error) {
    if (error instanceof RefreshHttpError) dataSource.log(error.responseText);
    const reason = error instanceof Error ? error.message : String(error);
    dataSource.log(
      "Error: Access token can't be revalidated. The user would have to re-authenticate",
      error instanceof Error ? error.stack : reason,
    );
    throw new TokenValidationError(error, `access token could not be refreshed (${reason})`, {
      retryable: false,
    });
  }
}

/**
 * Method decorator (TS standard decorators) for data source methods that call an OAuth2 API. When
 * the method throws (or rejects with) an error matching `exceptions`, the access token is refreshed
 * (see {@link refreshAccessToken}) and the method is called once more; an error from that second call
 * propagates unwrapped, as in Panoply. Works on async methods and on sync ones: a sync method returns
 * its value directly when nothing fails, and a Promise of the second call's value after a refresh,
 * so declare it as returning `T | Promise<T>`.
 */
export function validateToken(refreshUrl: string, options: ValidateTokenOptions = {}) {
  const matchers = options.exceptions ?? [];
  return <This extends DataSource, Args extends unknown[], Return>(
    method: (this: This, ...args: Args) => Return,
    _context?: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): ((this: This, ...args: Args) => Return) => {
    return function withTokenValidation(this: This, ...args: Args): Return {
      const refreshThenRetry = async (): Promise<unknown> => {
        await refreshAccessToken(this, refreshUrl, options);
        return await method.apply(this, args);
      };
      let result: Return;
      try {
        result = method.apply(this, args);
      } catch (error) {
        if (!matchesAny(error, matchers)) throw error;
        return refreshThenRetry() as Return;
      }
      if (result instanceof Promise) {
        return result.catch((error: unknown) => {
          if (!matchesAny(error, matchers)) throw error;
          return refreshThenRetry();
        }) as Return;
      }
      return result;
    };
  };
}
