import { AuthenticationError } from '../errors/authentication-error';
import { HttpRequestError } from '../errors/http-request-error';
import type { HttpAuthenticator } from '../http/http-authenticator';
import type { HttpResponseData } from '../http/http-response-data';
import { backoffDelayMs, isRetryableStatus, type RetryPolicy } from '../http/retry-policy';
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
}

/** The URL without its query string, which may carry secrets. */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Sends one request with retries on 429, 5xx, network errors and timeouts (exponential backoff with
 * jitter, honouring `Retry-After`). Each attempt has its own timeout covering headers and body.
 */
export async function sendHttpRequest(args: SendHttpRequestArgs): Promise<HttpResponseData> {
  const { policy, logger } = args;
  const target = `${args.method} ${describeUrl(args.url)}`;
  for (let attempt = 0; ; attempt++) {
    const attempts = attempt + 1;
    const canRetry = attempt < policy.maxRetries;
    const signal = AbortSignal.timeout(policy.timeoutMs);
    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const authHeaders = args.authenticator ? await args.authenticator.getAuthHeaders(signal) : {};
      const response = await fetch(args.url, {
        method: args.method,
        headers: { Accept: 'application/json', ...args.headers, ...authHeaders },
        body: args.body,
        signal,
      });
      status = response.status;
      headers = response.headers;
      text = await response.text();
    } catch (error) {
      if (AuthenticationError.isInstance(error)) throw error;
      const timedOut = (error as Error | undefined)?.name === 'TimeoutError';
      const reason = timedOut ? `timed out after ${policy.timeoutMs} ms` : `failed: ${describeCause(error)}`;
      if (canRetry) {
        const delayMs = backoffDelayMs(attempt, policy);
        logger.warn(`${target} ${reason}; retry ${attempts} of ${policy.maxRetries} in ${delayMs} ms`);
        await args.sleep(delayMs);
        continue;
      }
      throw new HttpRequestError(
        timedOut ? 'CDK_HTTP_TIMEOUT' : 'CDK_HTTP_NETWORK',
        `${target} ${reason} (${attempts} attempts)`,
        {
          attempts,
          cause: error,
          failureType: 'transient_error',
        },
      );
    }
    if (status >= 200 && status < 300)
      return { status, headers, body: parseBody(text), url: args.url.toString() };
    const retryable = isRetryableStatus(status);
    if (retryable && canRetry) {
      const delayMs = backoffDelayMs(attempt, policy, headers.get('retry-after'));
      logger.warn(`${target} answered ${status}; retry ${attempts} of ${policy.maxRetries} in ${delayMs} ms`);
      await args.sleep(delayMs);
      continue;
    }
    const failureType = retryable
      ? 'transient_error'
      : status === 401 || status === 403
        ? 'config_error'
        : 'system_error';
    throw new HttpRequestError(
      'CDK_HTTP_STATUS',
      `${target} answered ${status} (${attempts} attempts): ${text.slice(0, 200)}`,
      {
        status,
        attempts,
        failureType,
      },
    );
  }
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
