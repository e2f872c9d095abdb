import { join, resolve } from 'node:path';

/** This package's own directory: the same from `src/internal` (tests) and `dist/internal` (installed). */
export const PACKAGE_ROOT = resolve(__dirname, '..', '..');

/** Where the template files ship (`templates/<kind>/...`, `templates/shared/...`, `templates/<mode>/...`). */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
