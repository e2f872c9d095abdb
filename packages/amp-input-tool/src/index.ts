export type { InputToolErrorCode, InputToolErrorOptions } from './errors/input-tool-error';
export { InputToolError } from './errors/input-tool-error';
export type { InputToolConfig } from './input-tool-config';
export { readInputToolConfig } from './input-tool-config';
export type { InputToolOptions } from './source-as-input-tool';
export { sourceAsInputTool } from './source-as-input-tool';
