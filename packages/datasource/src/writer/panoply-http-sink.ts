import http from 'node:http';
import https from 'node:https';
import type { DataRecord } from '../data-source';
import { ConfigError } from '../errors/config-error';
import { pythonJsonDumps, pythonQuote } from '../internal/python-json';
import { checkNonFiniteNumbers, type NonFiniteNumbers } from './json-record-encoding';
import type { Sink } from './sink';
import type { WriterBatch } from './writer-batch';

/** Default value of the `sdk` message attribute (Panoply sends `panoply-python-sdk-<version>`). */
export const DEFAULT_SDK_IDENTIFIER = 'sdk-datasource-node';

/**
 * How a batch's `deduplicationId` travels. `'attribute'` (default): as a fourth message attribute,
 * `deduplication-id`, which any queue accepts and a consumer uses to drop replays. `'fifo'`: also as
 * SQS `MessageDeduplicationId`, with `MessageGroupId`, for an SQS FIFO queue (which then drops
 * replays itself, within its 5-minute window; a standard queue rejects these fields). `'none'`: not
 * sent (the Python SDK's exact form).
 */
export type HttpDeduplicationMode = 'attribute' | 'fifo' | 'none';

/** Name of the message attribute carrying a batch's deduplication id. */
export const DEDUPLICATION_ATTRIBUTE = 'deduplication-id';

/** Options of {@link createPanoplyHttpSink}. */
export interface PanoplyHttpSinkOptions {
  /** `ACCOUNT/RAND1`. */
  apiKey: string;
  /** `BASE64(RAND2/UUID/AWSACCOUNT/REGION)`, as a string or its bytes. */
  apiSecret: string | Uint8Array;
  /** Posts here instead of the queue address derived from key and secret (tests, proxies). */
  endpointUrl?: string;
  /** Value of the `sdk` message attribute. Defaults to {@link DEFAULT_SDK_IDENTIFIER}. */
  sdkIdentifier?: string;
  /** Per-request timeout in milliseconds. Defaults to 30 000 (Panoply has none and can hang). */
  requestTimeoutMs?: number;
  /** How NaN and the infinities are written. Defaults to `'python'` (`NaN`, `Infinity`, `-Infinity`, as Panoply). */
  nonFiniteNumbers?: NonFiniteNumbers;
  /** How each batch's deduplication id is sent. Defaults to `'attribute'`. */
  deduplication?: HttpDeduplicationMode;
  /** `MessageGroupId` in `'fifo'` mode. Defaults to `'sdk-datasource'` (one group: strict order). */
  messageGroupId?: string;
}

/** Extra fields of {@link buildSendMessageForm}. */
export interface SendMessageFormExtras {
  /** The batch's id (see `WriterBatch.deduplicationId`). Not sent when undefined. */
  deduplicationId?: string;
  /** Defaults to `'attribute'`. */
  deduplication?: HttpDeduplicationMode;
  /** Defaults to `'sdk-datasource'`. */
  messageGroupId?: string;
}

/** What the HTTP sink resolves with for each delivered batch. */
export interface HttpSinkResponse {
  readonly status: number;
  readonly body: string;
}

function secretText(apiSecret: string | Uint8Array): string {
  return typeof apiSecret === 'string' ? apiSecret : Buffer.from(apiSecret).toString('utf8');
}

/**
 * The queue address Panoply derives from the key and secret:
 * `https://sqs.{REGION}.amazonaws.com/{AWSACCOUNT}/sdk-{ACCOUNT}-{RAND2}`. Throws {@link ConfigError}
 * when the key or the decoded secret does not have the expected parts.
 */
export function deriveQueueUrl(apiKey: string, apiSecret: string | Uint8Array): string {
  if (typeof apiKey !== 'string' || apiKey.split('/')[0] === '') {
    throw new ConfigError('apiKey must look like ACCOUNT/RAND1');
  }
  const secret = secretText(apiSecret);
  const decoded = Buffer.from(secret, 'base64').toString('utf8').split('/');
  const [rand, , awsAccount, region] = decoded;
  if (decoded.length < 4 || !rand || !awsAccount || !region) {
    throw new ConfigError('apiSecret must be base64 of RAND2/UUID/AWSACCOUNT/REGION');
  }
  const account = apiKey.split('/')[0];
  return `https://sqs.${region}.amazonaws.com/${awsAccount}/sdk-${account}-${rand}`;
}

/**
 * The form body Panoply posts: `Action=SendMessage`, `MessageBody=<records>` and the `key`, `secret`
 * and `sdk` message attributes. The records are already percent-encoded, separated by raw blank lines.
 * Unlike Panoply, the attribute values are percent-encoded, so a secret containing `+` survives.
 * With a `deduplicationId` (see `extras`), a `deduplication-id` attribute follows, and in `'fifo'`
 * mode `MessageDeduplicationId` and `MessageGroupId` come right after the body.
 */
export function buildSendMessageForm(
  messageBody: string,
  apiKey: string,
  apiSecret: string,
  sdkIdentifier: string,
  extras: SendMessageFormExtras = {},
): string {
  const mode = extras.deduplication ?? 'attribute';
  const id = mode === 'none' ? undefined : extras.deduplicationId;
  const attributes: Array<readonly [string, string]> = [
    ['key', apiKey],
    ['secret', apiSecret],
    ['sdk', sdkIdentifier],
  ];
  if (id !== undefined) attributes.push([DEDUPLICATION_ATTRIBUTE, id]);
  const fields = ['Action=SendMessage', `MessageBody=${messageBody}`];
  if (id !== undefined && mode === 'fifo') {
    fields.push(
      `MessageDeduplicationId=${encodeURIComponent(id)}`,
      `MessageGroupId=${encodeURIComponent(extras.messageGroupId ?? 'sdk-datasource')}`,
    );
  }
  attributes.forEach(([name, value], index) => {
    const prefix = `MessageAttribute.${index + 1}`;
    fields.push(
      `${prefix}.Name=${name}`,
      `${prefix}.Value.DataType=String`,
      `${prefix}.Value.StringValue=${encodeURIComponent(value)}`,
    );
  });
  return fields.join('&');
}

const MAX_RESPONSE_CHARS = 64 * 1024;

function postForm(
  url: URL,
  agent: http.Agent,
  form: string,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(form, 'utf8'),
        },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (body.length < MAX_RESPONSE_CHARS) body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () => {
      request.destroy(new Error(`no answer from the queue endpoint within ${timeoutMs} ms`));
    });
    request.on('error', reject);
    request.end(form, 'utf8');
  });
}

/**
 * The Panoply wire format as a {@link Sink}: each record is Python-`json.dumps`-encoded,
 * `quote()`d, followed by two raw newlines; a batch is one form POST over a keep-alive connection
 * (idle connections never keep the process alive), carrying its deduplication id (see
 * {@link HttpDeduplicationMode}). A non-2xx answer rejects. `close()` releases the connections.
 */
export function createPanoplyHttpSink(
  options: PanoplyHttpSinkOptions,
): Sink & { readonly endpointUrl: string; close(): Promise<void> } {
  const apiSecret = secretText(options.apiSecret);
  const endpointUrl = options.endpointUrl ?? deriveQueueUrl(options.apiKey, apiSecret);
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch (error) {
    throw new ConfigError(`endpointUrl is not a valid URL: ${endpointUrl}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('endpointUrl must be an http: or https: URL');
  }
  const sdkIdentifier = options.sdkIdentifier ?? DEFAULT_SDK_IDENTIFIER;
  const nonFiniteNumbers = checkNonFiniteNumbers(options.nonFiniteNumbers);
  const deduplication = options.deduplication ?? 'attribute';
  if (!['attribute', 'fifo', 'none'].includes(deduplication)) {
    throw new ConfigError(
      `deduplication must be 'attribute', 'fifo' or 'none', got ${JSON.stringify(deduplication)}`,
    );
  }
  const messageGroupId = options.messageGroupId ?? 'sdk-datasource';
  if (typeof messageGroupId !== 'string' || messageGroupId === '' || messageGroupId.length > 128) {
    throw new ConfigError('messageGroupId must be a string of 1 to 128 characters');
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  if (!(requestTimeoutMs > 0)) throw new ConfigError('requestTimeoutMs must be a positive number');
  const agent =
    url.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  return {
    endpointUrl,
    encodeRecord(record: DataRecord): string {
      return `${pythonQuote(pythonJsonDumps(record, { nonFiniteNumbers }))}\n\n`;
    },
    async sendBatch(batch: WriterBatch): Promise<HttpSinkResponse> {
      const form = buildSendMessageForm(batch.body, options.apiKey, apiSecret, sdkIdentifier, {
        deduplicationId: batch.deduplicationId,
        deduplication,
        messageGroupId,
      });
      const response = await postForm(url, agent, form, requestTimeoutMs);
      if (response.status < 200 || response.status >= 300) {
        throw new Error(`HTTP ${response.status} from the queue endpoint: ${response.body.slice(0, 200)}`);
      }
      return response;
    },
    async close(): Promise<void> {
      agent.destroy();
    },
  };
}
