export type { ChunkerErrorCode, ChunkerErrorOptions } from './errors/chunker-error';
export { ChunkerError } from './errors/chunker-error';
