import { Float64, Table, vectorFromArray } from 'apache-arrow';
import type { PluginProvider } from '../plugin-provider.js';
import type { SdkPlugin } from '../sdk-plugin.js';

/** Adds a `doubled` column (2 x `value`) and copies the config's <Label> into a message. */
export default class DoublingPlugin implements SdkPlugin {
  constructor(private readonly provider: PluginProvider) {
    const label = /<Label>([^<]*)<\/Label>/.exec(provider.toolConfigXml)?.[1] ?? 'none';
    provider.io.info(`label=${label}`);
  }

  async onRecordBatch(table: Table): Promise<void> {
    // Iterating (not toArray) keeps nulls as null.
    const values: Array<number | null> = [...(table.getChild('value') ?? [])];
    const doubled = values.map((value) => (value === null ? null : value * 2));
    const columns = Object.fromEntries(
      table.schema.fields.map((field) => [field.name, table.getChild(field.name)]),
    );
    await this.provider.writeToAnchor(
      'Output',
      new Table({ ...columns, doubled: vectorFromArray(doubled, new Float64()) }),
    );
  }
}
