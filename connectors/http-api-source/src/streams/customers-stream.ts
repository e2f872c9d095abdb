import type { JsonObject } from '@sdk/stream-cdk';
import { SampleApiStream } from './sample-api-stream';

/**
 * `customers`: a paged list without a cursor field (resumable full refresh). The CDK reads one page
 * per slice and checkpoints the next page token, so an interrupted read resumes at the page it
 * stopped on; after the last page the state is the completion sentinel.
 */
export class CustomersStream extends SampleApiStream {
  readonly name = 'customers';

  path(): string {
    return 'customers';
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
        name: { type: 'string' },
        email: { type: 'string' },
        region: { type: 'string' },
        created_at: { type: 'string', format: 'date-time' },
      },
    };
  }
}
