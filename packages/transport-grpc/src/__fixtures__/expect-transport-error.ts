import { TransportError } from '../errors/transport-error.js';

/** Awaits `promise`, expecting it to reject with a TransportError of `code`; returns that error. */
export async function expectTransportError(promise: Promise<unknown>, code: string): Promise<TransportError> {
  try {
    await promise;
  } catch (error) {
    expect(TransportError.isInstance(error)).toBe(true);
    expect((error as TransportError).code).toBe(code);
    return error as TransportError;
  }
  throw new Error(`expected a ${code} rejection`);
}
