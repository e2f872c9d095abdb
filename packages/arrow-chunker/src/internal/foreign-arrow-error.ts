import { ChunkerInvalidSourceError } from '../errors/chunker-invalid-source-error.js';
import { type ArrowKind, identifyForeignArrow } from './arrow-builds.cjs';

const arrowBuilds = {
  commonjs: { name: 'CommonJS', loadedWith: 'require()' },
  module: { name: 'ES module', loadedWith: 'import' },
} as const;

/**
 * The error for an Arrow object of another apache-arrow build or copy: Arrow's writer produces
 * undecodable bytes for such objects, and its builders do not recognise their types, so they are
 * refused up front. `subject` names the object in the message (e.g. "this Table", "the schema's field
 * 'a'"); `itemIndex` is the item's index in the source iterable, or -1.
 */
export function foreignArrowError(
  value: unknown,
  kind: ArrowKind,
  itemIndex: number,
  subject = `this ${kind}`,
): ChunkerInvalidSourceError {
  const identity = identifyForeignArrow(value, kind);
  if (identity.origin === 'other-module-format' && identity.format !== undefined) {
    const theirs = arrowBuilds[identity.format];
    const ours = arrowBuilds[identity.format === 'module' ? 'commonjs' : 'module'];
    return new ChunkerInvalidSourceError(
      itemIndex,
      `${subject} comes from apache-arrow's ${theirs.name} build (loaded with ${theirs.loadedWith}), but ` +
        `this @sdk/arrow-chunker was loaded with ${ours.loadedWith} and uses apache-arrow's ${ours.name} build; ` +
        'load apache-arrow and the @sdk packages through the same module system (all with import, or all with require())',
      { foreignArrowOrigin: 'other-module-format' },
    );
  }
  return new ChunkerInvalidSourceError(
    itemIndex,
    `${subject} comes from another installed copy of apache-arrow (another version or path) than the one ` +
      '@sdk/arrow-chunker resolves; install a single apache-arrow version (dedupe it, or pin it with an override)',
    { foreignArrowOrigin: 'other-installation' },
  );
}
