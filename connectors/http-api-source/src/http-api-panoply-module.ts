import { sourceAsDataSourceModule } from '@sdk/datasource-bridge';
import { HttpApiSource } from './http-api-source';

// The sample HTTP API source as a Panoply-style DataSource module, for `sdk-datasource-run` and
// `runDataSource`: one table per stream, the per-stream Airbyte states kept in the runner's state file.
// `sdk-datasource-run dist/http-api-panoply-module.js --output out.jsonl --state-file state.json
//  --params-json '{"base_url": "…", "api_key": "…"}'`
const panoplyModule = sourceAsDataSourceModule(new HttpApiSource());

/** The DataSource class (`Stream`, Panoply's module contract). */
export const Stream = panoplyModule.Stream;
/** Its parameters, from the source's spec. */
export const CONFIG = panoplyModule.CONFIG;
