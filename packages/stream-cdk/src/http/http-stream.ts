import { canonicalJson } from '../checkpoint/canonical-json';
import type { SliceSource } from '../checkpoint/checkpoint-reader';
import type { Cursor } from '../checkpoint/cursor';
import { isEmptyState } from '../checkpoint/sentinel-states';
import { isStreamSlice } from '../checkpoint/stream-slice';
import { SubstreamResumableFullRefreshCursor } from '../checkpoint/substream-resumable-full-refresh-cursor';
import { HttpStreamDefinitionError } from '../errors/http-stream-definition-error';
import { PaginationLoopError } from '../errors/pagination-loop-error';
import { StreamCdkError } from '../errors/stream-cdk-error';
import { defaultPartitionFor, parentSlices } from '../internal/parent-slices';
import {
  defaultResolution,
  describeUrl,
  type SendHttpRequestResult,
  sendHttpRequest,
} from '../internal/send-http-request';
import { valueAtPath } from '../internal/value-at-path';
import type { JsonObject } from '../protocol/airbyte-protocol';
import type { SourceLogger } from '../stream/source-logger';
import { type ReadRecordsArgs, type RecordSource, Stream, type StreamSlicesArgs } from '../stream/stream';
import type { HttpAuthenticator } from './http-authenticator';
import type { HttpResponseData } from './http-response-data';
import type { HttpResponseResolution } from './http-response-resolution';
import type { PageContext, Paginator } from './paginator';
import type { QueryParams } from './query-params';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

export type { QueryParams } from './query-params';

/** What the request hooks of {@link HttpStream} receive. */
export interface HttpRequestArgs {
  streamSlice: JsonObject;
  streamState: JsonObject;
  /** The token from `nextPageToken` of the previous page; undefined for the first page. */
  nextPageToken: JsonObject | undefined;
}

/** Request methods of {@link HttpStream}. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH';

/** Form body values; undefined and null values are left out. */
export type FormFields = Record<string, string | number | boolean | null | undefined>;

/** One request, as the pagination loop guard compares them. */
interface PlannedRequest {
  url: URL;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | undefined;
  /** Canonical JSON of everything above: two requests with the same key are the same request. */
  key: string;
}

/** The requests of one pagination run, for the loop guard. */
interface PaginationRun {
  firstKey: string | undefined;
  lastKey: string | undefined;
}

/**
 * A stream read from a paginated HTTP API with Node's fetch. Implement `urlBase`, `path`,
 * `nextPageToken` and `parseResponse`; optionally `httpMethod`, `requestParams`, `requestHeaders`,
 * `requestBodyJson` / `requestBodyForm`, `paginator`, `transformRecord`, `authenticator`,
 * `retryPolicy`, `errorMapping` / `resolveResponse` / `shouldRetry` / `backoffTimeMs`.
 *
 * Without a cursor field it is resumable full refresh automatically: one page per slice, and the
 * state is the next page token (completion after the last page), so an interrupted read resumes at
 * the page it stopped on. Set `automaticResumableFullRefresh` to false when page tokens do not
 * survive between runs. With a `parent` it becomes a substream with per-partition state (discovered
 * with `is_resumable: false`, as the Python CDK does). With a cursor field it is incremental and
 * keeps its state itself: `{<cursor field>: <greatest cursor value read>}` (override the `state`
 * accessor, or implement `getUpdatedState`, to keep another state).
 *
 * Paging always ends: an absent token (undefined or null) ends it, query parameters whose value is
 * null or undefined are left out, and a request repeated within one pagination run (the same request
 * twice in a row, or the run's first request again) stops the stream with a `PaginationLoopError`.
 */
export abstract class HttpStream extends Stream {
  /** Base URL, e.g. `https://api.example.com/v1`; `path` is appended to it (an absolute URL replaces it). */
  abstract get urlBase(): string;

  /** Path of the request (relative to `urlBase`). */
  abstract path(args: HttpRequestArgs): string;

  /**
   * The token for the next page; undefined or null after the last page. With a `paginator`, return
   * `this.paginator.nextPageToken(response, page)`.
   */
  abstract nextPageToken(response: HttpResponseData, page: PageContext): JsonObject | null | undefined;

  /** The records of one response. `recordsAtPath(response.body, [...])` extracts them from a path. */
  abstract parseResponse(
    response: HttpResponseData,
    args: HttpRequestArgs,
  ): Iterable<JsonObject> | AsyncIterable<JsonObject>;

  private pageState: JsonObject = {};
  private cursorState: JsonObject = {};
  private partitionCursor: SubstreamResumableFullRefreshCursor | undefined;
  /** Set by a `skip_stream` resolution: the rest of this read requests nothing. */
  private skipped = false;
  /** The pagination run of automatic resumable full refresh, which spans slices (one page each). */
  private pageRun: PaginationRun = { firstKey: undefined, lastKey: undefined };
  /** Canonical JSON of the token the last page returned: the slice that continues `pageRun`. */
  private pageRunNextSlice: string | undefined;

  /** HTTP method. Default `GET`. */
  get httpMethod(): HttpMethod {
    return 'GET';
  }

  /** Query parameters. Null and undefined values are left out. Default: none. */
  requestParams(_args: HttpRequestArgs): QueryParams {
    return {};
  }

  /** Headers of each request (called per page, so they may depend on the token). Default: none. */
  requestHeaders(_args: HttpRequestArgs): Record<string, string> {
    return {};
  }

  /** JSON body (sent with `Content-Type: application/json`). Default: none. */
  requestBodyJson(_args: HttpRequestArgs): JsonObject | undefined {
    return undefined;
  }

  /**
   * Form body (sent as `application/x-www-form-urlencoded`; null and undefined values left out).
   * Define either this or `requestBodyJson`, not both. Default: none.
   */
  requestBodyForm(_args: HttpRequestArgs): FormFields | undefined {
    return undefined;
  }

  /**
   * The paginator whose parameters, headers, body fields or URL are added to each request (see
   * `cursorPaginator`, `offsetPaginator`, `pageNumberPaginator`, `linkHeaderPaginator`); its
   * parameters win over `requestParams` when they have a value. `nextPageToken` should return its
   * token. Default: none.
   */
  get paginator(): Paginator | undefined {
    return undefined;
  }

  /**
   * Changes or drops each record after `parseResponse` (return undefined to drop it); the cursor of an
   * incremental stream is read from the result. Default: the record unchanged.
   */
  transformRecord(record: JsonObject, _args: HttpRequestArgs): JsonObject | undefined {
    return record;
  }

  /** Authentication. Default: none. */
  get authenticator(): HttpAuthenticator | undefined {
    return undefined;
  }

  /** Retry settings merged over {@link DEFAULT_RETRY_POLICY}. Default: the defaults. */
  get retryPolicy(): Partial<RetryPolicy> {
    return {};
  }

  /**
   * What a response status means, e.g. `{ 404: { action: 'ignore' } }` ("404 means no data") or
   * `{ 403: { action: 'skip_stream', message: 'no access to tickets' } }`. Statuses not listed follow
   * `shouldRetry`. Default: none.
   */
  get errorMapping(): Readonly<Record<number, HttpResponseResolution>> {
    return {};
  }

  /** True when a non-2xx response is worth retrying. Default: 429 and 5xx. */
  shouldRetry(response: HttpResponseData): boolean {
    return defaultResolution(response).action === 'retry';
  }

  /**
   * Milliseconds to wait before retry number `retry` (0 first) after `response`; undefined uses
   * `Retry-After`, else exponential backoff with jitter. Default: undefined.
   */
  backoffTimeMs(_response: HttpResponseData, _retry: number): number | undefined {
    return undefined;
  }

  /**
   * The action for a response (every response, 2xx included, e.g. to fail on an error inside a 200).
   * Default: `errorMapping[status]`, else success for 2xx, retry when `shouldRetry`, else fail.
   */
  resolveResponse(response: HttpResponseData): HttpResponseResolution {
    const mapped = this.errorMapping[response.status];
    if (mapped !== undefined) return mapped;
    if (response.status >= 200 && response.status < 300) return { action: 'success' };
    return this.shouldRetry(response) ? { action: 'retry' } : { action: 'fail' };
  }

  /**
   * Stop with a `PaginationLoopError` when a pagination run repeats a request (the same request twice
   * in a row, or its first request again). Turn off only for APIs that answer the same request
   * differently over time. Default true.
   */
  get paginationLoopGuard(): boolean {
    return true;
  }

  /** Read one page per slice and checkpoint its token (when there is no cursor field or parent). Default true. */
  get automaticResumableFullRefresh(): boolean {
    return true;
  }

  /** Parent stream whose records slice this one. Default: none. */
  get parent(): Stream | undefined {
    return undefined;
  }

  /** Partition of a parent record. Default: the parent's primary key as `{parent: {id: ...}}`. */
  partitionFor(parentRecord: JsonObject): JsonObject {
    return defaultPartitionFor(this.parent as Stream, parentRecord);
  }

  /**
   * The stream's state. Incremental (cursor field): `{<cursor field path joined by '.'>: <greatest
   * cursor value read>}`, starting from the incoming state; values compare as numbers, or as strings
   * (so ISO 8601 timestamps in one format and zone compare correctly). Otherwise the page token of
   * automatic resumable full refresh. Assigning it starts a new read.
   */
  get state(): JsonObject {
    return this.cursorField.length > 0 ? this.cursorState : this.pageState;
  }

  set state(value: JsonObject) {
    if (this.cursorField.length > 0) this.cursorState = value;
    else this.pageState = value;
    this.skipped = false;
    this.pageRun = { firstKey: undefined, lastKey: undefined };
    this.pageRunNextSlice = undefined;
  }

  override get isSubstream(): boolean {
    return this.parent !== undefined;
  }

  override get isResumable(): boolean {
    if (this.cursorField.length > 0 || this.parent !== undefined) return super.isResumable;
    return this.automaticResumableFullRefresh || typeof this.getUpdatedState === 'function';
  }

  override getCursor(): Cursor | undefined {
    if (this.parent === undefined || this.cursorField.length > 0) return undefined;
    this.partitionCursor ??= new SubstreamResumableFullRefreshCursor();
    return this.partitionCursor;
  }

  override streamSlices(args: StreamSlicesArgs): SliceSource {
    const parent = this.parent;
    if (parent === undefined) return super.streamSlices(args);
    return parentSlices(parent, (record) => this.partitionFor(record), args.logger);
  }

  /**
   * Sends the stream's first request (slice `{}`, no state, no token) through the same client as a
   * read: authenticator, retries, error mapping. Resolves to what `Source.checkConnection` returns, so
   * a check is `return new Items(config).checkAvailability(logger)` instead of a second, hand-written
   * request. Succeeds on `success` and `ignore`; fails with the reason on `skip_stream`, on a failed
   * request and on a failed authentication. Never throws for those.
   */
  async checkAvailability(logger: SourceLogger): Promise<{ succeeded: boolean; message?: string }> {
    try {
      const request = this.planRequest({ streamSlice: {}, streamState: {}, nextPageToken: undefined });
      const result = await this.send(request, logger);
      if (result.outcome !== 'skip_stream') return { succeeded: true };
      const why = result.message === undefined ? '' : `: ${result.message}`;
      return {
        succeeded: false,
        message: `stream ${this.name}: ${request.method} ${describeUrl(request.url)} answered ${result.response.status}${why}`,
      };
    } catch (error) {
      if (!StreamCdkError.isInstance(error)) throw error;
      return { succeeded: false, message: `stream ${this.name}: ${error.message}` };
    }
  }

  /** Waits between retries. Override in tests to skip real waiting. */
  protected sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async *readRecords(args: ReadRecordsArgs): RecordSource {
    const onePagePerSlice =
      this.cursorField.length === 0 && this.parent === undefined && this.automaticResumableFullRefresh;
    if (onePagePerSlice) {
      if (this.skipped) {
        this.pageState = {};
        return;
      }
      // The slice is the page token ({} for the first page); the state becomes the next token.
      const sliceKey = canonicalJson(args.streamSlice);
      if (isEmptyState(args.streamSlice) || sliceKey !== this.pageRunNextSlice) {
        this.pageRun = { firstKey: undefined, lastKey: undefined };
      }
      const token = isEmptyState(args.streamSlice) ? undefined : { ...args.streamSlice };
      const next = yield* this.readPage(args, token, this.pageRun);
      this.pageState = next ?? {};
      this.pageRunNextSlice = next === undefined ? undefined : canonicalJson(next);
      return;
    }
    if (this.skipped) return;
    const run: PaginationRun = { firstKey: undefined, lastKey: undefined };
    let token: JsonObject | undefined;
    do {
      token = yield* this.readPage(args, token, run);
    } while (token !== undefined);
    if (this.skipped) return;
    if (this.partitionCursor !== undefined && isStreamSlice(args.streamSlice))
      this.partitionCursor.closeSlice(args.streamSlice);
  }

  private async *readPage(
    args: ReadRecordsArgs,
    nextPageToken: JsonObject | undefined,
    run: PaginationRun,
  ): AsyncGenerator<JsonObject, JsonObject | undefined> {
    const requestArgs: HttpRequestArgs = {
      streamSlice: args.streamSlice,
      streamState: args.streamState,
      nextPageToken,
    };
    const request = this.planRequest(requestArgs);
    this.guardAgainstLoop(request, run, nextPageToken);
    const result = await this.send(request, args.logger);
    if (result.outcome !== 'success') {
      this.onUnreadPage(result, request, args.logger);
      return undefined;
    }
    const { response } = result;
    let recordCount = 0;
    const trackCursor = this.cursorField.length > 0;
    for await (const record of this.parseResponse(response, requestArgs)) {
      recordCount++;
      const transformed = this.transformRecord(record, requestArgs);
      if (transformed === undefined) continue;
      if (trackCursor) this.observeCursor(transformed);
      yield transformed;
    }
    const next = this.nextPageToken(response, { token: nextPageToken, recordCount });
    return next ?? undefined;
  }

  private onUnreadPage(
    result: Exclude<SendHttpRequestResult, { outcome: 'success' }>,
    request: PlannedRequest,
    logger: SourceLogger,
  ): void {
    const target = `${request.method} ${describeUrl(request.url)}`;
    const why = result.message === undefined ? '' : `: ${result.message}`;
    if (result.outcome === 'ignore') {
      logger.info(
        `stream ${this.name}: ${target} answered ${result.response.status}, read as an empty last page${why}`,
      );
      return;
    }
    this.skipped = true;
    logger.warn(
      `stream ${this.name} skipped for this read: ${target} answered ${result.response.status}${why}`,
    );
  }

  private observeCursor(record: JsonObject): void {
    const value = valueAtPath(record, this.cursorField);
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const key = this.cursorField.join('.');
    const current = this.cursorState[key];
    const advances =
      current === undefined ||
      current === null ||
      (typeof current === typeof value && value > (current as typeof value));
    if (advances) this.cursorState = { ...this.cursorState, [key]: value };
  }

  private planRequest(requestArgs: HttpRequestArgs): PlannedRequest {
    const paginator = this.paginator;
    const token = requestArgs.nextPageToken;
    const pageUrl = paginator?.requestUrl?.(token);
    // Resolve like a directory join: "https://h/v1" + "items" → "https://h/v1/items".
    const base = this.urlBase.endsWith('/') ? this.urlBase : `${this.urlBase}/`;
    const url =
      pageUrl !== undefined ? new URL(pageUrl) : new URL(this.path(requestArgs).replace(/^\/+/, ''), base);
    const fromPageUrl = new Set(pageUrl === undefined ? [] : url.searchParams.keys());
    for (const [key, value] of Object.entries(this.requestParams(requestArgs))) {
      // A next-page URL already says what it needs; the stream's parameters only fill gaps.
      if (value !== undefined && value !== null && !fromPageUrl.has(key))
        url.searchParams.set(key, String(value));
    }
    for (const [key, value] of Object.entries(paginator?.requestParams?.(token) ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      ...this.requestHeaders(requestArgs),
      ...paginator?.requestHeaders?.(token),
    };
    const json = this.requestBodyJson(requestArgs);
    const paginatorJson = paginator?.requestBodyJson?.(token);
    const form = this.requestBodyForm(requestArgs);
    if (form !== undefined && (json !== undefined || paginatorJson !== undefined)) {
      throw new HttpStreamDefinitionError(
        `stream ${this.name} defines both a JSON body and a form body for one request; define one`,
      );
    }
    let body: string | undefined;
    if (json !== undefined || paginatorJson !== undefined) {
      body = JSON.stringify({ ...json, ...paginatorJson });
      headers['Content-Type'] ??= 'application/json';
    } else if (form !== undefined) {
      const fields = new URLSearchParams();
      for (const [key, value] of Object.entries(form)) {
        if (value !== undefined && value !== null) fields.append(key, String(value));
      }
      body = fields.toString();
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    }
    const method = this.httpMethod;
    const key = canonicalJson({ method, url: url.toString(), headers, body: body ?? null });
    return { url, method, headers, body, key };
  }

  private guardAgainstLoop(request: PlannedRequest, run: PaginationRun, token: JsonObject | undefined): void {
    if (this.paginationLoopGuard && (request.key === run.lastKey || request.key === run.firstKey)) {
      const which =
        request.key === run.lastKey ? 'the same request twice in a row' : "the run's first request again";
      throw new PaginationLoopError(
        this.name,
        `stream ${this.name} asked for ${which} (${request.method} ${describeUrl(request.url)}, page token ${JSON.stringify(token ?? null)}), so paging would never end: nextPageToken must return undefined or null after the last page, never a token holding an absent value`,
      );
    }
    run.firstKey ??= request.key;
    run.lastKey = request.key;
  }

  private send(request: PlannedRequest, logger: SourceLogger): Promise<SendHttpRequestResult> {
    return sendHttpRequest({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: request.body,
      authenticator: this.authenticator,
      policy: { ...DEFAULT_RETRY_POLICY, ...this.retryPolicy },
      logger,
      sleep: (ms) => this.sleep(ms),
      resolve: (response) => this.resolveResponse(response),
      backoffMs: (response, retry) => this.backoffTimeMs(response, retry),
    });
  }
}

/**
 * The records at `path` in a response body: an array of objects as it is, a single object as one
 * record, nothing (missing or null) as no records. Anything else is an `HttpStreamDefinitionError`.
 */
export function recordsAtPath(body: unknown, path: readonly string[]): JsonObject[] {
  const value = path.length === 0 ? body : valueAtPath(body, path);
  if (value === undefined || value === null) return [];
  const isRecord = (item: unknown): item is JsonObject =>
    typeof item === 'object' && item !== null && !Array.isArray(item);
  if (isRecord(value)) return [value];
  if (Array.isArray(value) && value.every(isRecord)) return value;
  throw new HttpStreamDefinitionError(
    `the response body at ${path.length === 0 ? 'its root' : `"${path.join('.')}"`} is not a list of objects`,
  );
}
