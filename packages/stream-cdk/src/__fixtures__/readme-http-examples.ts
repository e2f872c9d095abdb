// The HttpStream examples of the README, verbatim apart from these comments and the exports: the
// package's typecheck compiles them (strict, noImplicitOverride) and http-stream-readme tests read
// them against a local server. Keep them in step with the README.
import {
  ApiKeyAuthenticator,
  cursorPaginator,
  type HttpRequestArgs,
  type HttpResponseData,
  type HttpResponseResolution,
  HttpStream,
  type JsonObject,
  linkHeaderPaginator,
  offsetPaginator,
  type PageContext,
  type Paginator,
  type QueryParams,
  recordsAtPath,
} from '../index';

// Incremental: a cursor field is enough. The stream keeps {"updated_at": <greatest value read>} as its
// state, starting from the incoming state; streamState is that incoming state on every request.
export class Orders extends HttpStream {
  readonly name = 'orders';
  constructor(private readonly config: { base_url: string; api_key: string }) {
    super();
  }
  get urlBase() {
    return this.config.base_url;
  }
  path() {
    return 'orders';
  }
  override get cursorField() {
    return ['updated_at'];
  }
  override get authenticator() {
    return new ApiKeyAuthenticator(this.config.api_key, { header: 'X-API-Key' });
  }
  override get paginator(): Paginator {
    return cursorPaginator({ cursorFrom: ['meta', 'next_cursor'], param: 'cursor' });
  }
  override requestParams(args: HttpRequestArgs): QueryParams {
    // null and undefined values are left out: the first run sends no updated_since.
    return { updated_since: (args.streamState.updated_at as string | undefined) ?? null, sort: 'updated_at' };
  }
  nextPageToken(response: HttpResponseData, page: PageContext) {
    return this.paginator.nextPageToken(response, page);
  }
  parseResponse(response: HttpResponseData) {
    return recordsAtPath(response.body, ['data']); // the records at a path; [] when absent
  }
  override transformRecord(record: JsonObject) {
    // Return undefined to drop a record. The cursor is read from what this returns.
    return record.deleted === true ? undefined : { ...record, total: Number(record.total) };
  }
  getJsonSchema() {
    return { type: 'object', properties: { id: { type: 'integer' }, updated_at: { type: 'string' } } };
  }
}

// Error mapping: 404 means "no data", 403 skips the stream with a warning, 400 is the user's fault.
export class Invoices extends HttpStream {
  readonly name = 'invoices';
  constructor(private readonly baseUrl: string) {
    super();
  }
  get urlBase() {
    return this.baseUrl;
  }
  path() {
    return 'invoices';
  }
  override get errorMapping(): Record<number, HttpResponseResolution> {
    return {
      404: { action: 'ignore', message: 'no invoices yet' },
      403: { action: 'skip_stream', message: 'the key cannot read invoices' },
      400: { action: 'fail', failureType: 'config_error', message: 'check the account id' },
    };
  }
  override get paginator(): Paginator {
    return offsetPaginator({ limit: 100 });
  }
  nextPageToken(response: HttpResponseData, page: PageContext) {
    return this.paginator.nextPageToken(response, page);
  }
  parseResponse(response: HttpResponseData) {
    return recordsAtPath(response.body, ['invoices']);
  }
  getJsonSchema() {
    return { type: 'object' };
  }
}

// A search API: POST with a JSON body, pages by the Link header, a header per request.
export class Issues extends HttpStream {
  readonly name = 'issues';
  constructor(private readonly baseUrl: string) {
    super();
  }
  get urlBase() {
    return this.baseUrl;
  }
  path() {
    return 'issues/search';
  }
  override get httpMethod() {
    return 'POST' as const;
  }
  override requestBodyJson(): JsonObject {
    return { query: 'state:open' };
  }
  override requestHeaders(args: HttpRequestArgs): Record<string, string> {
    return { 'X-Page-Kind': args.nextPageToken === undefined ? 'first' : 'next' };
  }
  override get paginator(): Paginator {
    return linkHeaderPaginator();
  }
  nextPageToken(response: HttpResponseData, page: PageContext) {
    return this.paginator.nextPageToken(response, page);
  }
  parseResponse(response: HttpResponseData) {
    return recordsAtPath(response.body, []);
  }
  getJsonSchema() {
    return { type: 'object' };
  }
}
