import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientError, Status } from 'nice-grpc-common';

/** The test certificate chain and its private key (PEM), from `__fixtures__/tls/`. */
export function testTlsMaterial(): { certChain: Buffer; privateKey: Buffer } {
  const directory = join(__dirname, 'tls');
  return {
    certChain: readFileSync(join(directory, 'cert.pem')),
    privateKey: readFileSync(join(directory, 'key.pem')),
  };
}

/** Every item of an async iterable, in order. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Awaits `promise`, expecting a ClientError whose status is `codes` (or one of them); returns it. */
export async function expectClientError(
  promise: Promise<unknown>,
  codes: Status | readonly Status[],
): Promise<ClientError> {
  const accepted: readonly Status[] = typeof codes === 'number' ? [codes] : codes;
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ClientError);
    expect(accepted).toContain((error as ClientError).code);
    return error as ClientError;
  }
  throw new Error(`expected a ClientError with status ${accepted.map((code) => Status[code]).join(' or ')}`);
}

/** Resolves once `condition` holds, polling every 10 ms; fails the test after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
