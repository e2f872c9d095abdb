/**
 * A JSON pointer (RFC 6901) to the location named by `path`: each part is escaped (`~` → `~0`,
 * `/` → `~1`) and prefixed with `/`. `['a/b', 'c']` → `/a~1b/c`.
 */
export function jsonPointerFromPath(path: readonly string[]): string {
  return path.map((part) => `/${part.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
