/** A successful HTTP response as `parseResponse` and `nextPageToken` see it. */
export interface HttpResponseData {
  status: number;
  headers: Headers;
  /** The body parsed as JSON, the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  /** The URL requested, query string included. */
  url: string;
}
