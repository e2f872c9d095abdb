import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { TemplateError } from '../errors/template-error';

/** One template file: its path under the template folder (posix separators) and its text. */
export interface TemplateFile {
  readonly path: string;
  readonly text: string;
}

/**
 * Every file under `dir`, recursively, sorted by path.
 *
 * @throws TemplateError when `dir` is missing (a damaged install).
 */
export function readTemplateFiles(dir: string): TemplateFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new TemplateError(`template folder ${dir} is missing; reinstall @sdk/create-connector`);
  }
  const files: TemplateFile[] = [];
  const visit = (folder: string, prefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = prefix === '' ? entry.name : posix.join(prefix, entry.name);
      if (entry.isDirectory()) visit(join(folder, entry.name), path);
      else files.push({ path, text: readFileSync(join(folder, entry.name), 'utf8') });
    }
  };
  visit(dir, '');
  return files.sort((left, right) => left.path.localeCompare(right.path));
}
