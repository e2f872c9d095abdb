import { builtinModules } from 'node:module';
import { InvalidConnectorNameError } from './errors/invalid-connector-name-error';

/** npm's limit on a whole package name, which here is `@connectors/<name>`. */
const MAX_PACKAGE_NAME_LENGTH = 214;
const SCOPE_PREFIX = '@connectors/';

/** Longest accepted connector name, in characters: `@connectors/<name>` must fit npm's 214. */
export const MAX_CONNECTOR_NAME_LENGTH = MAX_PACKAGE_NAME_LENGTH - SCOPE_PREFIX.length;

// Names a package may not take (npm's own list), and names whose files would collide with the
// generated ones (`src/index.ts`) or confuse Node (`require('fs')` versus a bin called `fs`).
const RESERVED_NAMES = new Set(['node_modules', 'favicon.ico', 'index', 'node', 'npm', 'pnpm']);

/**
 * Checks that `name` can be a connector name: a valid npm package name segment that is also lowercase
 * kebab-case (letters, digits, single hyphens; starting with a letter), since file names, the bin
 * and class names are derived from it. Not reserved (npm's names, Node core module names, `index`).
 *
 * @throws InvalidConnectorNameError (`CREATE_CONNECTOR_INVALID_NAME`) whose `reason` says what is wrong.
 */
export function validateConnectorName(name: string): void {
  const reason = connectorNameProblem(name);
  if (reason !== undefined) throw new InvalidConnectorNameError(name, reason);
}

/** The first problem with `name`, or undefined when it is valid. */
function connectorNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'must not be empty';
  if (name.trim() !== name) return 'must not start or end with whitespace';
  if (name.length > MAX_CONNECTOR_NAME_LENGTH)
    return `must be at most ${MAX_CONNECTOR_NAME_LENGTH} characters`;
  if (name !== name.toLowerCase()) return 'must be lowercase';
  if (name.startsWith('.') || name.startsWith('_')) return 'must not start with "." or "_"';
  if (encodeURIComponent(name) !== name)
    return 'contains characters that are not allowed in an npm package name';
  if (/[._~!*'()]/.test(name))
    return 'must be kebab-case (letters, digits and hyphens only), because file names are derived from it';
  if (!/^[a-z]/.test(name)) return 'must start with a letter, because class names are derived from it';
  if (name.endsWith('-') || name.includes('--')) return 'must not end with "-" or contain "--"';
  if (RESERVED_NAMES.has(name)) return 'is a reserved name';
  if (builtinModules.includes(name)) return 'is the name of a Node.js core module';
  return undefined;
}
