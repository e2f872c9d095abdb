/** Supplies authentication headers for each HTTP request (called before every attempt). */
export interface HttpAuthenticator {
  getAuthHeaders(signal?: AbortSignal): Promise<Record<string, string>>;
}
