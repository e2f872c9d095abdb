export type { HttpApiCaptureOptions } from './http-api-capture';
export { createHttpApiCapture } from './http-api-capture';
