import type { JsonObject } from '@sdk/stream-cdk';
import { SampleApiStream } from './sample-api-stream';

/**
 * `regions`: a tiny unpaged list read whole every time (plain full refresh, not resumable): one final
 * STATE `{"__ab_no_cursor_state_message": true}`.
 */
export class RegionsStream extends SampleApiStream {
  readonly name = 'regions';

  path(): string {
    return 'regions';
  }

  override get primaryKey(): string {
    return 'code';
  }

  /** Page tokens mean nothing here: one request returns every region. */
  override get automaticResumableFullRefresh(): boolean {
    return false;
  }

  override nextPageToken(): undefined {
    return undefined;
  }

  getJsonSchema(): JsonObject {
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: true,
      properties: { code: { type: 'string' }, name: { type: 'string' } },
    };
  }
}
