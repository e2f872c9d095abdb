import { sourceAsInputTool } from '@sdk/amp-input-tool';
import { HttpApiSource } from './http-api-source';

/**
 * The sample HTTP API source as an AMP-style input tool: one outgoing anchor per stream (`regions`,
 * `customers`, `orders`, `customer_notes`), each stream's records as Arrow typed from its JSON Schema.
 * Kept out of the package index so that the Airbyte and Flow entry points do not load gRPC and Arrow.
 */
export const HttpApiInputTool = sourceAsInputTool(new HttpApiSource());
