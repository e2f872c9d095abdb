import { HttpApiSourceError } from './http-api-source-error';

/**
 * `HTTP_API_RESPONSE_INVALID`: the API answered 2xx with a body this connector does not understand
 * (no `data` array, a record without its key fields). A `system_error`.
 */
export class InvalidResponseError extends HttpApiSourceError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('HTTP_API_RESPONSE_INVALID', message, { ...options, failureType: 'system_error' });
  }
}
