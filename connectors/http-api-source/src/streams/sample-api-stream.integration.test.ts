import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JsonObject, type SourceLogger, TracedError } from '@sdk/stream-cdk';
import { InvalidResponseError } from '../errors/invalid-response-error';
import { createStreamContext } from '../internal/stream-context';
import { OrdersStream } from './orders-stream';
import { RegionsStream } from './regions-stream';
import type { SampleApiStream } from './sample-api-stream';

const silentLogger: SourceLogger = { debug() {}, info() {}, warn() {}, error() {} };

describe('streams facing an API that answers 200 with an unexpected body', () => {
  let server: Server;
  let baseUrl: string;
  let bodies: Record<string, unknown>;

  beforeEach(async () => {
    bodies = {};
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(bodies[path] ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function failureOf(stream: SampleApiStream): Promise<unknown> {
    try {
      for await (const _ of stream.readRecords({
        syncMode: 'full_refresh',
        cursorField: undefined,
        streamSlice: {},
        streamState: {},
        logger: silentLogger,
      })) {
        // Records before the failure, if any, are not the point here.
      }
    } catch (error) {
      return error;
    }
    return undefined;
  }

  const expectInvalidResponse = (error: unknown) => {
    // The CDK sees a TracedError (for the trace's failure_type); the connector error is its cause.
    expect(TracedError.isInstance(error)).toBe(true);
    expect((error as TracedError).failureType).toBe('system_error');
    const cause = (error as Error & { cause?: unknown }).cause;
    expect(InvalidResponseError.isInstance(cause)).toBe(true);
    expect((cause as InvalidResponseError).code).toBe('HTTP_API_RESPONSE_INVALID');
  };

  it('rejects a body without a data array', async () => {
    bodies['/v1/regions'] = { regions: [{ code: 'eu' }] };
    const context = createStreamContext({ base_url: baseUrl, api_key: 'k' });
    expectInvalidResponse(await failureOf(new RegionsStream(context)));
  });

  it('rejects data items that are not objects', async () => {
    bodies['/v1/regions'] = { data: ['eu', 'na'] };
    const context = createStreamContext({ base_url: baseUrl, api_key: 'k' });
    expectInvalidResponse(await failureOf(new RegionsStream(context)));
  });

  it('rejects an order without a string updated_at and a numeric id, before moving its state', async () => {
    const good: JsonObject = { id: 1, updated_at: '2026-01-01T00:00:00.000Z' };
    bodies['/v1/orders'] = {
      data: [good, { id: '2', updated_at: '2026-01-01T00:00:01.000Z' }],
      next_page_token: null,
    };
    const orders = new OrdersStream(createStreamContext({ base_url: baseUrl, api_key: 'k' }));
    orders.state = {};
    expectInvalidResponse(await failureOf(orders));
    expect(orders.state).toEqual({ updated_at: good.updated_at, id: 1 });
  });
});
