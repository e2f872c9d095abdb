import type { DataSource, DataSourceOptions, SourceParams } from './data-source';
import type { DataSourceConfig } from './data-source-config';
import { ModuleContractError } from './errors/module-contract-error';

/** A constructor of a data source, as a module's `Stream` export. */
export type DataSourceClass = new (source: SourceParams, options?: DataSourceOptions) => DataSource;

/** What a data source module exports: the source class as `Stream`, and `CONFIG`. */
export interface DataSourceModule {
  readonly Stream: DataSourceClass;
  readonly CONFIG: DataSourceConfig;
}

/**
 * Checks that `moduleExports` (a `require()`d or `import()`ed module, default export accepted) has a
 * `Stream` class and a `CONFIG` with a `title` and a `params` array; throws
 * {@link ModuleContractError} naming what is missing otherwise.
 */
export function toDataSourceModule(moduleExports: unknown): DataSourceModule {
  const candidates = [moduleExports, (moduleExports as { default?: unknown } | null)?.default];
  for (const candidate of candidates) {
    if (typeof candidate !== 'object' && typeof candidate !== 'function') continue;
    if (candidate === null) continue;
    const { Stream, CONFIG } = candidate as { Stream?: unknown; CONFIG?: unknown };
    if (Stream === undefined && CONFIG === undefined) continue;
    if (typeof Stream !== 'function' || typeof Stream.prototype?.read !== 'function') {
      throw new ModuleContractError('the module must export Stream, a class with a read() method');
    }
    const config = CONFIG as Partial<DataSourceConfig> | undefined;
    if (typeof config !== 'object' || config === null) {
      throw new ModuleContractError('the module must export CONFIG, an object');
    }
    if (typeof config.title !== 'string' || !Array.isArray(config.params)) {
      throw new ModuleContractError('CONFIG needs a string title and a params array');
    }
    return { Stream: Stream as DataSourceClass, CONFIG: config as DataSourceConfig };
  }
  throw new ModuleContractError('the module exports neither Stream nor CONFIG');
}
