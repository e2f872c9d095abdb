import { AuthenticationError } from '../errors/authentication-error';
import { HttpRequestError } from '../errors/http-request-error';
import type { FailureType } from '../errors/stream-cdk-error';
import { backoffDelayMs } from '../http/backoff';
import type { HttpAuthenticator } from '../http/http-authenticator';
import type { HttpResponseData } from '../http/http-response-data';
import type { HttpResponseResolution } from '../http/http-response-resolution';
import { isRetryableStatus, type RetryPolicy } from '../http/retry-policy';
import type { SourceLogger } from '../stream/source-logger';

export interface SendHttpRequestArgs {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  authenticator: HttpAuthenticator | undefined;
  policy: RetryPolicy;
  logger: SourceLogger;
  sleep: (ms: number) => Promise<void>;
  /** What a response means. Default {@link defaultResolution}. */
  resolve?: (response: HttpResponseData) => HttpResponseResolution;
  /** Delay before retry number `retry` (0 first) after `response`; undefined: Retry-After, else backoff. */
  backoffMs?: (response: HttpResponseData, retry: number) => number | undefined;
}

/** How a request ended when it did not throw. */
export type SendHttpRequestResult =
  | { outcome: 'success'; response: HttpResponseData }
  | { outcome: 'ignore' | 'skip_stream'; response: HttpResponseData; message: string | undefined };

/** The URL without its query string, which may carry secrets. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** 2xx: success; 429 and 5xx: retry; anything else: fail. */
export function defaultResolution(response: Pick<HttpResponseData, 'status'>): HttpResponseResolution {
  if (response.status >= 200 && response.status < 300) return { action: 'success' };
  return isRetryableStatus(response.status) ? { action: 'retry' } : { action: 'fail' };
}

/** `transient_error` for 429/5xx, `config_error` for 401/403, else `system_error`. */
export function failureTypeForStatus(status: number): FailureType {
  if (isRetryableStatus(status)) return 'transient_error';
  return status === 401 || status === 403 ? 'config_error' : 'system_error';
}

/**
 * Sends one request, resolving each response to an action (success, retry, fail, ignore, skip the
 * stream). Network errors and timeouts are retried like `retry`, with exponential backoff and
 * jitter, honouring `Retry-After`; each attempt has its own timeout covering headers and body. A 401
 * is retried once, outside `maxRetries`, when the authenticator can `invalidate` the credentials it
 * rejected (OAuth2: a refresh).
 */
export async function sendHttpRequest(args: SendHttpRequestArgs): Promise<SendHttpRequestResult> {
  const { policy, logger } = args;
  const target = `${args.method} ${describeUrl(args.url)}`;
  let retried401 = false;
  let retry = 0;
  for (let attempts = 1; ; attempts++) {
    const canRetry = retry < policy.maxRetries;
    const signal = AbortSignal.timeout(policy.timeoutMs);
    let response: HttpResponseData;
    let text: string;
    let authHeaders: Record<string, string> = {};
    try {
      authHeaders = args.authenticator ? await args.authenticator.getAuthHeaders(signal) : {};
      const authParams = (await args.authenticator?.getAuthQueryParams?.(signal)) ?? {};
      const url = new URL(args.url);
      for (const [key, value] of Object.entries(authParams)) url.searchParams.set(key, value);
      const answer = await fetch(url, {
        method: args.method,
        headers: { Accept: 'application/json', ...args.headers, ...authHeaders },
        body: args.body,
        signal,
      });
      text = await answer.text();
      // The URL of the response data is the one without credentials: it can end up in tokens and state.
      response = {
        status: answer.status,
        headers: answer.headers,
        body: parseBody(text),
        url: args.url.toString(),
      };
    } catch (error) {
      if (AuthenticationError.isInstance(error)) throw error;
      const timedOut = (error as Error | undefined)?.name === 'TimeoutError';
      const reason = timedOut ? `timed out after ${policy.timeoutMs} ms` : `failed: ${describeCause(error)}`;
      if (canRetry) {
        const delayMs = backoffDelayMs(retry, policy);
        retry++;
        logger.warn(`${target} ${reason}; retry ${retry} of ${policy.maxRetries} in ${delayMs} ms`);
        await args.sleep(delayMs);
        continue;
      }
      throw new HttpRequestError(
        timedOut ? 'CDK_HTTP_TIMEOUT' : 'CDK_HTTP_NETWORK',
        `${target} ${reason} (${attempts} attempts)`,
        { attempts, cause: error, failureType: 'transient_error' },
      );
    }
    const { status } = response;
    if (status === 401 && !retried401 && args.authenticator?.invalidate?.(authHeaders) === true) {
      retried401 = true;
      logger.info(`${target} answered 401; retrying once with fresh credentials`);
      continue;
    }
    const resolution = (args.resolve ?? defaultResolution)(response);
    switch (resolution.action) {
      case 'success':
        return { outcome: 'success', response };
      case 'ignore':
      case 'skip_stream':
        return { outcome: resolution.action, response, message: resolution.message };
      case 'retry': {
        if (canRetry) {
          const delayMs =
            resolution.backoffMs ??
            args.backoffMs?.(response, retry) ??
            backoffDelayMs(retry, policy, response.headers.get('retry-after'));
          retry++;
          logger.warn(
            `${target} answered ${status}; retry ${retry} of ${policy.maxRetries} in ${delayMs} ms`,
          );
          await args.sleep(delayMs);
          continue;
        }
        throw new HttpRequestError(
          'CDK_HTTP_STATUS',
          `${target} answered ${status} (${attempts} attempts): ${excerpt(text)}`,
          {
            status,
            attempts,
            failureType:
              isRetryableStatus(status) || (status >= 200 && status < 300)
                ? 'transient_error'
                : failureTypeForStatus(status),
          },
        );
      }
      case 'fail': {
        const detail = resolution.message ?? excerpt(text);
        throw new HttpRequestError(
          'CDK_HTTP_STATUS',
          `${target} answered ${status} (${attempts} attempts): ${detail}`,
          {
            status,
            attempts,
            failureType: resolution.failureType ?? failureTypeForStatus(status),
          },
        );
      }
    }
  }
}

function excerpt(text: string): string {
  return text.slice(0, 200);
}

function parseBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
