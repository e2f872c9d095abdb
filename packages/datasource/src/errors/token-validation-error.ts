import { DatasourceError } from './datasource-error';

/** Options of {@link TokenValidationError}. */
export interface TokenValidationErrorOptions {
  /** Defaults to `false`: a token that cannot be refreshed needs the user to re-authenticate. */
  retryable?: boolean;
}

/**
 * Raised when an OAuth2 access token cannot be refreshed (Panoply's `TokenValidationException`).
 * `originalError` (also `cause`) is what made the refresh fail. Not retryable by default.
 */
export class TokenValidationError extends DatasourceError {
  /** The error that made the refresh fail. */
  readonly originalError: unknown;

  constructor(
    originalError: unknown,
    message = 'access token could not be refreshed',
    options: TokenValidationErrorOptions = {},
  ) {
    super('DATASOURCE_TOKEN_VALIDATION', message, {
      cause: originalError,
      retryable: options.retryable ?? false,
    });
    this.originalError = originalError;
  }
}
