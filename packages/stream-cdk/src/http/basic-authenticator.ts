import type { HttpAuthenticator } from './http-authenticator';

/** `Authorization: Basic base64(username:password)` (UTF-8). */
export class BasicAuthenticator implements HttpAuthenticator {
  private readonly header: string;

  constructor(username: string, password: string) {
    this.header = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }

  async getAuthHeaders(): Promise<Record<string, string>> {
    return { Authorization: this.header };
  }
}
