// A .cts file is CommonJS in both builds (dist/internal/*.cjs and dist/esm/internal/*.cjs), so it has
// `require` whichever build loaded it: it is how both builds look at both of apache-arrow's builds.
import type { ForeignArrowOrigin } from '../errors/chunker-invalid-source-error.js';

/** apache-arrow's two builds: CommonJS (what `require` gets) and ES module (what `import` gets). */
export type ArrowModuleFormat = 'commonjs' | 'module';

/** What {@link identifyForeignArrow} found. */
export interface ForeignArrowIdentity {
  readonly origin: ForeignArrowOrigin;
  /** With `other-module-format`: the build the object comes from. */
  readonly format?: ArrowModuleFormat;
}

/** The apache-arrow classes whose origin is told apart. */
export type ArrowKind = 'Table' | 'RecordBatch' | 'Schema' | 'Field' | 'DataType';

// apache-arrow's exports map `./*` to `./*.js` for require and `./*.mjs` for import.
const moduleFileOf: Record<ArrowKind, string> = {
  Table: 'table',
  RecordBatch: 'recordbatch',
  Schema: 'schema',
  Field: 'schema',
  DataType: 'type',
};
const prototypeChainIncludes = Function.prototype[Symbol.hasInstance];

/**
 * The `kind` class of the apache-arrow install this package resolves, in one of its builds. The ES
 * module build is loaded with require(esm) (Node >= 20.19); undefined when it cannot be loaded (e.g.
 * under a test runner without ES module support). Only called on the error path.
 */
function arrowClassOf(kind: ArrowKind, format: ArrowModuleFormat): unknown {
  try {
    const commonJsPath = require.resolve(`apache-arrow/${moduleFileOf[kind]}`);
    const path = format === 'commonjs' ? commonJsPath : commonJsPath.replace(/\.js$/, '.mjs');
    return (require(path) as Record<string, unknown>)[kind];
  } catch {
    return undefined;
  }
}

/**
 * Tells apart the two reasons an Arrow object is not of this package's apache-arrow: it comes from the
 * same install's other build (the caller loaded apache-arrow and this package through different module
 * systems), or from another installed copy (another version or path).
 */
export function identifyForeignArrow(value: unknown, kind: ArrowKind): ForeignArrowIdentity {
  for (const format of ['commonjs', 'module'] as const) {
    const arrowClass = arrowClassOf(kind, format);
    if (typeof arrowClass === 'function' && prototypeChainIncludes.call(arrowClass, value)) {
      return { origin: 'other-module-format', format };
    }
  }
  return { origin: 'other-installation' };
}
