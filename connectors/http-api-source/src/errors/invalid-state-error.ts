import { HttpApiSourceError } from './http-api-source-error';

/**
 * `HTTP_API_STATE_INVALID`: an incoming stream state this connector cannot resume from (for example
 * an `orders` state whose `updated_at` is not an ISO-8601 timestamp). A `config_error`: the state
 * file must be fixed or dropped.
 */
export class InvalidStateError extends HttpApiSourceError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('HTTP_API_STATE_INVALID', message, { ...options, failureType: 'config_error' });
  }
}
