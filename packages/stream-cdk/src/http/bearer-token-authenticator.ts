import type { HttpAuthenticator } from './http-authenticator';

/** `Authorization: Bearer <token>` with a fixed token. */
export class BearerTokenAuthenticator implements HttpAuthenticator {
  constructor(private readonly token: string) {}

  async getAuthHeaders(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${this.token}` };
  }
}
