/**
 * Supplies the credentials of each HTTP request (called before every attempt). Only
 * `getAuthHeaders` is required.
 */
export interface HttpAuthenticator {
  /** Headers to add to the request. */
  getAuthHeaders(signal?: AbortSignal): Promise<Record<string, string>>;
  /** Query parameters to add to the request (e.g. an API key in the query). Default: none. */
  getAuthQueryParams?(signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * Called once per request when the server answered 401 to the headers it was given: forget those
   * credentials so the next `getAuthHeaders` gets fresh ones, and return true to have the request
   * retried once. Authenticators without it (fixed credentials) get no such retry.
   */
  invalidate?(rejectedHeaders: Readonly<Record<string, string>>): boolean;
}
