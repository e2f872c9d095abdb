import type { SliceSource } from '../checkpoint/checkpoint-reader';
import type { Cursor } from '../checkpoint/cursor';
import { isEmptyState } from '../checkpoint/sentinel-states';
import { isStreamSlice } from '../checkpoint/stream-slice';
import { SubstreamResumableFullRefreshCursor } from '../checkpoint/substream-resumable-full-refresh-cursor';
import { defaultPartitionFor, parentSlices } from '../internal/parent-slices';
import { sendHttpRequest } from '../internal/send-http-request';
import type { JsonObject } from '../protocol/airbyte-protocol';
import type { SourceLogger } from '../stream/source-logger';
import { type ReadRecordsArgs, type RecordSource, Stream, type StreamSlicesArgs } from '../stream/stream';
import type { HttpAuthenticator } from './http-authenticator';
import type { HttpResponseData } from './http-response-data';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

/** What the request hooks of {@link HttpStream} receive. */
export interface HttpRequestArgs {
  streamSlice: JsonObject;
  streamState: JsonObject;
  /** The token from `nextPageToken` of the previous page; undefined for the first page. */
  nextPageToken: JsonObject | undefined;
}

/** Query parameter values; undefined values are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/**
 * A stream read from a paginated HTTP API with Node's fetch. Implement `urlBase`, `path`,
 * `nextPageToken` and `parseResponse`; optionally `requestParams`, `requestHeaders`,
 * `requestBodyJson`, `httpMethod`, `authenticator`, `retryPolicy`.
 *
 * Without a cursor field it is resumable full refresh automatically: one page per slice, and the
 * state is the next page token (completion after the last page), so an interrupted read resumes at
 * the page it stopped on. Set `automaticResumableFullRefresh` to false when page tokens do not
 * survive between runs. With a `parent` it becomes a substream with per-partition state.
 * Incremental HTTP streams (with a cursor field) keep their own state: implement a `state` accessor
 * or `getUpdatedState`.
 */
export abstract class HttpStream extends Stream {
  /** Base URL, e.g. `https://api.example.com/v1`; `path` is appended to it (an absolute URL replaces it). */
  abstract get urlBase(): string;

  /** Path of the request (relative to `urlBase`). */
  abstract path(args: HttpRequestArgs): string;

  /** The token for the next page, or undefined after the last page. */
  abstract nextPageToken(response: HttpResponseData): JsonObject | undefined;

  /** The records of one response. */
  abstract parseResponse(
    response: HttpResponseData,
    args: HttpRequestArgs,
  ): Iterable<JsonObject> | AsyncIterable<JsonObject>;

  private pageState: JsonObject = {};
  private partitionCursor: SubstreamResumableFullRefreshCursor | undefined;

  /** HTTP method. Default `GET`. */
  get httpMethod(): 'GET' | 'POST' {
    return 'GET';
  }

  /** Query parameters. Default: none. */
  requestParams(_args: HttpRequestArgs): QueryParams {
    return {};
  }

  /** Extra headers. Default: none. */
  requestHeaders(_args: HttpRequestArgs): Record<string, string> {
    return {};
  }

  /** JSON body (sent with `Content-Type: application/json`). Default: none. */
  requestBodyJson(_args: HttpRequestArgs): JsonObject | undefined {
    return undefined;
  }

  /** Authentication. Default: none. */
  get authenticator(): HttpAuthenticator | undefined {
    return undefined;
  }

  /** Retry settings merged over {@link DEFAULT_RETRY_POLICY}. Default: the defaults. */
  get retryPolicy(): Partial<RetryPolicy> {
    return {};
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

  /** Page-token state of automatic resumable full refresh. */
  get state(): JsonObject {
    return this.pageState;
  }

  set state(value: JsonObject) {
    this.pageState = value;
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

  /** Waits between retries. Override in tests to skip real waiting. */
  protected sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async *readRecords(args: ReadRecordsArgs): RecordSource {
    const onePagePerSlice =
      this.cursorField.length === 0 && this.parent === undefined && this.automaticResumableFullRefresh;
    if (onePagePerSlice) {
      // The slice is the page token ({} for the first page); the state becomes the next token.
      const token = isEmptyState(args.streamSlice) ? undefined : { ...args.streamSlice };
      const next = yield* this.readPage(args, token);
      this.pageState = next ?? {};
      return;
    }
    let token: JsonObject | undefined;
    do {
      token = yield* this.readPage(args, token);
    } while (token !== undefined);
    if (this.partitionCursor !== undefined && isStreamSlice(args.streamSlice))
      this.partitionCursor.closeSlice(args.streamSlice);
  }

  private async *readPage(
    args: ReadRecordsArgs,
    nextPageToken: JsonObject | undefined,
  ): AsyncGenerator<JsonObject, JsonObject | undefined> {
    const requestArgs: HttpRequestArgs = {
      streamSlice: args.streamSlice,
      streamState: args.streamState,
      nextPageToken,
    };
    const response = await this.send(requestArgs, args.logger);
    for await (const record of this.parseResponse(response, requestArgs)) yield record;
    return this.nextPageToken(response);
  }

  private send(requestArgs: HttpRequestArgs, logger: SourceLogger): Promise<HttpResponseData> {
    // Resolve like a directory join: "https://h/v1" + "items" → "https://h/v1/items".
    const base = this.urlBase.endsWith('/') ? this.urlBase : `${this.urlBase}/`;
    const url = new URL(this.path(requestArgs).replace(/^\/+/, ''), base);
    for (const [key, value] of Object.entries(this.requestParams(requestArgs))) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const json = this.requestBodyJson(requestArgs);
    const headers = this.requestHeaders(requestArgs);
    return sendHttpRequest({
      url,
      method: this.httpMethod,
      headers: json === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      body: json === undefined ? undefined : JSON.stringify(json),
      authenticator: this.authenticator,
      policy: { ...DEFAULT_RETRY_POLICY, ...this.retryPolicy },
      logger,
      sleep: (ms) => this.sleep(ms),
    });
  }
}
