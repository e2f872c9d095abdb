import type {
  CheckpointMixin,
  HttpRequestArgs,
  HttpResponseData,
  JsonObject,
  QueryParams,
} from '@sdk/stream-cdk';
import { HttpApiSourceError } from '../errors/http-api-source-error';
import { InvalidResponseError } from '../errors/invalid-response-error';
import { asTracedError } from '../internal/as-traced-error';
import { isAfter, type OrderCursor, parseOrderCursor } from '../internal/order-cursor';
import { SampleApiStream } from './sample-api-stream';

/**
 * `orders`: incremental on `updated_at`. The API pages by keyset (`updated_at`, `id`), so the state
 * keeps both, `{"updated_at": "...", "id": n}`, and a resumed read asks for orders strictly after that
 * pair: no loss and no duplicates, even across timestamp ties. Records arrive in cursor order, so the
 * CDK checkpoints every `page_size` records (and at the end), and mid-stream state is a safe resume point.
 */
export class OrdersStream extends SampleApiStream implements CheckpointMixin {
  readonly name = 'orders';
  private position: OrderCursor | undefined;

  override get primaryKey(): string {
    return 'id';
  }

  override get cursorField(): string[] {
    return ['updated_at'];
  }

  override get stateCheckpointInterval(): number {
    return this.context.pageSize;
  }

  /** `{updated_at, id}` of the last order read, or `{}` before the first one. */
  override get state(): JsonObject {
    return this.position === undefined ? {} : { updated_at: this.position.updated_at, id: this.position.id };
  }

  /** Takes the incoming state; a malformed one fails the stream with `HTTP_API_STATE_INVALID`. */
  override set state(value: JsonObject) {
    this.position = parseIncoming(value);
  }

  path(): string {
    return 'orders';
  }

  override requestParams(args: HttpRequestArgs): QueryParams {
    if (args.nextPageToken !== undefined) return super.requestParams(args);
    // First page: strictly after the saved pair, or from `start_date` (inclusive) on a first sync.
    const start = parseIncoming(args.streamState);
    return {
      limit: this.context.pageSize,
      updated_since: start?.updated_at ?? this.context.startDate,
      since_id: start?.id,
    };
  }

  override *parseResponse(response: HttpResponseData): Iterable<JsonObject> {
    for (const record of this.recordsOf(response)) {
      const { updated_at: updatedAt, id } = record;
      if (typeof updatedAt !== 'string' || typeof id !== 'number') {
        throw asTracedError(
          new InvalidResponseError('orders: a record lacks a string "updated_at" or a numeric "id"'),
        );
      }
      const seen = { updated_at: updatedAt, id };
      // Advance before yielding: the CDK may checkpoint right after this record.
      if (this.position === undefined || isAfter(seen, this.position)) this.position = seen;
      yield record;
    }
  }

  getJsonSchema(): JsonObject {
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: true,
      properties: {
        id: { type: 'integer' },
        customer_id: { type: 'integer' },
        amount_cents: { type: 'integer' },
        status: { type: 'string', enum: ['placed', 'paid', 'shipped', 'cancelled'] },
        updated_at: { type: 'string', format: 'date-time' },
      },
    };
  }
}

function parseIncoming(state: JsonObject): OrderCursor | undefined {
  try {
    return parseOrderCursor(state);
  } catch (error) {
    if (HttpApiSourceError.isInstance(error)) throw asTracedError(error);
    throw error;
  }
}
