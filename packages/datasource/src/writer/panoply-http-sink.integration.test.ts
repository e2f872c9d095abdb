import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors/config-error';
import { createPanoplyHttpSink, DEFAULT_SDK_IDENTIFIER, deriveQueueUrl } from './panoply-http-sink';
import { createPanoplySdk, PanoplyWriter } from './panoply-writer';

interface ReceivedRequest {
  readonly method: string;
  readonly contentType: string;
  readonly raw: string;
  readonly form: URLSearchParams;
}

let server: Server;
let endpointUrl: string;
let received: ReceivedRequest[];
let statusQueue: number[];
let hang: boolean;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The records a real queue consumer would see: MessageBody split on blank lines, each JSON. */
function parseRecords(request: ReceivedRequest): unknown[] {
  const body = request.form.get('MessageBody') ?? '';
  return body
    .split('\n\n')
    .filter((part) => part !== '')
    .map((part) => JSON.parse(part));
}

beforeEach(async () => {
  received = [];
  statusQueue = [];
  hang = false;
  server = createServer(async (request, response) => {
    const raw = await readBody(request);
    received.push({
      method: request.method ?? '',
      contentType: request.headers['content-type'] ?? '',
      raw,
      form: new URLSearchParams(raw),
    });
    if (hang) return;
    response.statusCode = statusQueue.shift() ?? 200;
    response.end('<SendMessageResponse/>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/queue`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const secret = Buffer.from('rand2/uuid/awsacct/us-east-1').toString('base64');

describe('deriveQueueUrl', () => {
  it('derives the SQS queue address from key and secret, as string or bytes', () => {
    const expected = 'https://sqs.us-east-1.amazonaws.com/awsacct/sdk-acct-rand2';
    expect(deriveQueueUrl('acct/rand1', secret)).toBe(expected);
    expect(deriveQueueUrl('acct/rand1', Buffer.from(secret))).toBe(expected);
    expect(createPanoplyHttpSink({ apiKey: 'acct/rand1', apiSecret: secret }).endpointUrl).toBe(expected);
  });

  it('rejects a malformed endpoint with ConfigError', () => {
    expect(() =>
      createPanoplyHttpSink({ apiKey: 'a/b', apiSecret: secret, endpointUrl: 'not a url' }),
    ).toThrow(ConfigError);
    expect(() =>
      createPanoplyHttpSink({ apiKey: 'a/b', apiSecret: secret, endpointUrl: 'ftp://x/' }),
    ).toThrow(ConfigError);
  });

  it('rejects malformed keys and secrets with ConfigError', () => {
    expect(() => deriveQueueUrl('acct/rand1', Buffer.from('only/two').toString('base64'))).toThrow(
      ConfigError,
    );
    expect(() => deriveQueueUrl('', secret)).toThrow(ConfigError);
  });
});

describe('Panoply HTTP sink against a local server', () => {
  it('posts one form with the original wire format', async () => {
    const apiSecret = 'c2VjcmV0+with/plus==';
    const writer = createPanoplySdk('acct/rand1', apiSecret, { endpointUrl });
    await writer.write('tbl', { a: 1, s: 'héllo & co/x' });
    await writer.write('tbl', { b: [1.5, null] });
    const result = await writer.close();
    expect(result.failedBatches).toEqual([]);
    expect(received).toHaveLength(1);
    const request = received[0] as ReceivedRequest;
    expect(request.method).toBe('POST');
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(
      request.raw.startsWith(
        'Action=SendMessage&MessageBody=%7B%22a%22%3A%201%2C%20%22s%22%3A%20%22h%5Cu00e9llo%20%26%20co/x%22%2C%20%22__table%22%3A%20%22tbl%22%7D\n\n',
      ),
    ).toBe(true);
    expect(request.form.get('Action')).toBe('SendMessage');
    expect(parseRecords(request)).toEqual([
      { a: 1, s: 'héllo & co/x', __table: 'tbl' },
      { b: [1.5, null], __table: 'tbl' },
    ]);
    expect(request.form.get('MessageAttribute.1.Name')).toBe('key');
    expect(request.form.get('MessageAttribute.1.Value.StringValue')).toBe('acct/rand1');
    expect(request.form.get('MessageAttribute.2.Name')).toBe('secret');
    expect(request.form.get('MessageAttribute.2.Value.StringValue')).toBe(apiSecret);
    expect(request.form.get('MessageAttribute.3.Name')).toBe('sdk');
    expect(request.form.get('MessageAttribute.3.Value.DataType')).toBe('String');
    expect(request.form.get('MessageAttribute.3.Value.StringValue')).toBe(DEFAULT_SDK_IDENTIFIER);
  });

  it('retries after an HTTP error status and delivers the batch once', async () => {
    statusQueue = [503];
    const sink = createPanoplyHttpSink({ apiKey: 'acct/rand1', apiSecret: secret, endpointUrl });
    const writer = new PanoplyWriter({ sink, retryBaseDelayMs: 5 });
    const events: string[] = [];
    writer.on('*', (name) => events.push(name));
    for (let index = 0; index < 5; index++) await writer.write('orders', { index });
    const result = await writer.flush();
    expect(result.failedBatches).toHaveLength(0);
    expect(received).toHaveLength(2);
    expect(parseRecords(received[1] as ReceivedRequest)).toHaveLength(5);
    expect(events).toEqual(['send', 'retry', 'send', 'flush']);
  });

  it('keeps a batch the server keeps refusing', async () => {
    statusQueue = [500, 500, 500];
    const writer = createPanoplySdk('acct/rand1', secret, {
      endpointUrl,
      maxSendAttempts: 3,
      retryBaseDelayMs: 1,
    });
    let errorCode = '';
    writer.on('error', (error) => {
      errorCode = error.code;
    });
    await writer.write('orders', { id: 1 });
    const result = await writer.flush();
    expect(received).toHaveLength(3);
    expect(errorCode).toBe('DATASOURCE_SEND_FAILED');
    expect(result.failedBatches[0]?.records).toEqual([{ id: 1, __table: 'orders' }]);
  });

  it('gives up on a request the server never answers after requestTimeoutMs', async () => {
    hang = true;
    const sink = createPanoplyHttpSink({
      apiKey: 'a/b',
      apiSecret: secret,
      endpointUrl,
      requestTimeoutMs: 100,
    });
    const writer = new PanoplyWriter({ sink, maxSendAttempts: 2, retryBaseDelayMs: 1 });
    await writer.write('t', { id: 1 });
    const result = await writer.close();
    expect(received).toHaveLength(2);
    expect(result.failedBatches).toHaveLength(1);
  });

  it('sends each batch’s deduplication id as an attribute, the same on every retry of the batch', async () => {
    statusQueue = [500];
    const writer = createPanoplySdk('acct/rand1', secret, { endpointUrl, retryBaseDelayMs: 1 });
    await writer.write('orders', { id: 1 });
    await writer.flush();
    await writer.write('orders', { id: 2 });
    await writer.close();
    expect(received).toHaveLength(3);
    const ids = received.map((request) => request.form.get('MessageAttribute.4.Value.StringValue'));
    expect(received[0]?.form.get('MessageAttribute.4.Name')).toBe('deduplication-id');
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[0]).toMatch(/^[0-9a-f]{32}\.1$/);
    expect(received[0]?.form.has('MessageDeduplicationId')).toBe(false);
  });

  it("adds SQS FIFO fields in 'fifo' mode and nothing in 'none' mode", async () => {
    const fifo = createPanoplySdk('acct/rand1', secret, {
      endpointUrl,
      deduplication: 'fifo',
      messageGroupId: 'orders-group',
    });
    await fifo.writeBatch([{ id: 1, __table: 'orders' }], { deduplicationIdPrefix: 'run1.7' });
    await fifo.close();
    const form = received[0]?.form as URLSearchParams;
    expect(form.get('MessageDeduplicationId')).toMatch(/^run1\.7\.0\+1\.[0-9a-f]{16}$/);
    expect(form.get('MessageGroupId')).toBe('orders-group');
    expect(form.get('MessageAttribute.4.Value.StringValue')).toBe(form.get('MessageDeduplicationId'));
    const plain = createPanoplySdk('acct/rand1', secret, { endpointUrl, deduplication: 'none' });
    await plain.write('orders', { id: 2 });
    await plain.close();
    expect(received[1]?.form.has('MessageAttribute.4.Name')).toBe(false);
    expect(received[1]?.form.has('MessageDeduplicationId')).toBe(false);
    expect(() =>
      createPanoplyHttpSink({ apiKey: 'a/b', apiSecret: secret, deduplication: 'always' as 'fifo' }),
    ).toThrow(ConfigError);
  });
});
