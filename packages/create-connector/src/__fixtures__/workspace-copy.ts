import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The @sdk packages a generated connector can depend on (the generator runs from this checkout). */
export const COPIED_PACKAGES = [
  'arrow-chunker',
  'transport-grpc',
  'stream-cdk',
  'datasource',
  'flow-shim',
  'datasource-bridge',
  'amp-input-tool',
];

/**
 * Copies the monorepo at `sourceRoot` into `targetRoot` as a clean checkout would have it: the files git
 * tracks or would track (`git ls-files -co --exclude-standard`: tracked plus new, never ignored ones),
 * limited to the root files, the shared folders and {@link COPIED_PACKAGES}. The other connectors stay
 * out, so only the generated ones are built and tested. The packages' build output (`dist`, and
 * transport-grpc's generated `src/gen`) is copied too, with its timestamps, so `tsc -b` finds it up to
 * date instead of rebuilding it. No node_modules: the caller installs offline from the store.
 */
export function copyWorkspace(sourceRoot: string, targetRoot: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '-co', '--exclude-standard'], {
    cwd: sourceRoot,
    maxBuffer: 64 * 1024 * 1024,
  })
    .toString('utf8')
    .split('\0')
    .filter((path) => path !== '');
  const wanted = (path: string): boolean => {
    const [top, second] = path.split('/');
    if (second === undefined) return true; // a root file
    if (top === 'protos' || top === 'scripts') return true;
    if (top === 'connectors') return path === 'connectors/README.md';
    return top === 'packages' && COPIED_PACKAGES.includes(second);
  };
  for (const path of listed.filter(wanted)) {
    const from = join(sourceRoot, path);
    // `-c` lists tracked files even when deleted from the working tree.
    if (existsSync(from) && statSync(from).isFile()) {
      cpSync(from, join(targetRoot, path), { preserveTimestamps: true });
    }
  }
  for (const name of COPIED_PACKAGES) {
    for (const built of ['dist', join('src', 'gen')]) {
      const from = join(sourceRoot, 'packages', name, built);
      if (existsSync(from)) {
        cpSync(from, join(targetRoot, 'packages', name, built), {
          recursive: true,
          preserveTimestamps: true,
        });
      }
    }
  }
}
