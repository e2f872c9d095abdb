import type { HttpRequestArgs, JsonObject, Stream } from '@sdk/stream-cdk';
import type { StreamContext } from '../internal/stream-context';
import { CustomersStream } from './customers-stream';
import { SampleApiStream } from './sample-api-stream';

/**
 * `customer_notes`: a substream read once per customer (`/customers/{id}/notes`, every page), with
 * per-partition state `{"states": [{"partition": {"customer_id": n}, "cursor": {...}}]}`. A resumed
 * read skips the customers already finished and reads the one in progress again from its start.
 */
export class CustomerNotesStream extends SampleApiStream {
  readonly name = 'customer_notes';
  private readonly customers: CustomersStream;

  constructor(context: StreamContext) {
    super(context);
    // Its own parent instance: the parent is read in full, without the state of `customers`.
    this.customers = new CustomersStream(context);
  }

  override get parent(): Stream {
    return this.customers;
  }

  override partitionFor(parentRecord: JsonObject): JsonObject {
    return { customer_id: parentRecord.id ?? null };
  }

  path(args: HttpRequestArgs): string {
    return `customers/${encodeURIComponent(String(args.streamSlice.customer_id))}/notes`;
  }

  override get primaryKey(): string {
    return 'id';
  }

  getJsonSchema(): JsonObject {
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: true,
      properties: {
        id: { type: 'integer' },
        customer_id: { type: 'integer' },
        body: { type: 'string' },
      },
    };
  }
}
