import {
  type CheckConnectionResult,
  type ConnectorSpecification,
  isStreamMessage,
  Source,
  type SourceLogger,
  type Stream,
} from '@sdk/stream-cdk';
import { type HttpApiSourceConfig, httpApiSourceSpec } from './http-api-source-config';
import { createStreamContext } from './internal/stream-context';
import { CustomerNotesStream } from './streams/customer-notes-stream';
import { CustomersStream } from './streams/customers-stream';
import { OrdersStream } from './streams/orders-stream';
import { RegionsStream } from './streams/regions-stream';

/**
 * The sample HTTP API source: `regions` (full refresh), `customers` (resumable full refresh by page
 * token), `orders` (incremental on `updated_at`, keyset state) and `customer_notes` (substream of
 * customers, per-partition state), authenticated with OAuth2 refresh tokens or an API key, retrying
 * 429 (honouring `Retry-After`), 5xx, timeouts and network errors.
 */
export class HttpApiSource extends Source<HttpApiSourceConfig> {
  spec(): ConnectorSpecification {
    return httpApiSourceSpec();
  }

  /** Fetches `regions` with the config's credentials (token refresh and retries included). */
  async checkConnection(config: HttpApiSourceConfig, logger: SourceLogger): Promise<CheckConnectionResult> {
    const regions = new RegionsStream(createStreamContext(config));
    let count = 0;
    for await (const item of regions.readRecords({
      syncMode: 'full_refresh',
      cursorField: undefined,
      streamSlice: {},
      streamState: {},
      logger,
    })) {
      if (!isStreamMessage(item)) count += 1;
    }
    logger.info(`check: ${count} regions readable`);
    return { succeeded: true };
  }

  /** The four streams, sharing one authenticator so that one access token serves the whole read. */
  streams(config: HttpApiSourceConfig): Stream[] {
    const context = createStreamContext(config);
    return [
      new RegionsStream(context),
      new CustomersStream(context),
      new OrdersStream(context),
      new CustomerNotesStream(context),
    ];
  }
}
