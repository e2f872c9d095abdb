import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ThrowawayClusterError } from '../errors/throwaway-cluster-error';

/** Where PostgreSQL's server programs were found. */
export interface PostgresBinaries {
  readonly binDir: string;
  readonly initdb: string;
  readonly pgCtl: string;
}

/** Options of {@link findPostgresBinaries}; the defaults look where Debian and most systems put them. */
export interface FindPostgresBinariesOptions {
  /** Directories searched first, in order. Defaults to `process.env.PATH`. */
  searchPath?: string;
  /** Holds one directory per major version, each with `bin/`. Defaults to `/usr/lib/postgresql`. */
  versionsRoot?: string;
}

/** How to get the binaries, shown whenever they are missing. */
export const INSTALL_POSTGRES_HINT =
  'install PostgreSQL’s server package (Debian/Ubuntu: `apt-get install postgresql`), or put its bin directory (with initdb and pg_ctl) on PATH';

function hasServerPrograms(dir: string): boolean {
  return existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
}

/**
 * Finds `initdb` and `pg_ctl`: first on the search path, then in `<versionsRoot>/<version>/bin`,
 * highest major version first (Debian keeps them off PATH). Throws {@link ThrowawayClusterError}
 * saying how to install them when none is found.
 */
export function findPostgresBinaries(options: FindPostgresBinariesOptions = {}): PostgresBinaries {
  const searchPath = options.searchPath ?? process.env.PATH ?? '';
  const versionsRoot = options.versionsRoot ?? '/usr/lib/postgresql';
  const onPath = searchPath.split(delimiter).filter((dir) => dir !== '');
  const versioned = existsSync(versionsRoot)
    ? readdirSync(versionsRoot)
        .filter((name) => /^\d+(\.\d+)?$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join(versionsRoot, version, 'bin'))
    : [];
  const binDir = [...onPath, ...versioned].find(hasServerPrograms);
  if (binDir === undefined) {
    throw new ThrowawayClusterError(
      `PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in ${versionsRoot}/*/bin: ${INSTALL_POSTGRES_HINT}`,
    );
  }
  return { binDir, initdb: join(binDir, 'initdb'), pgCtl: join(binDir, 'pg_ctl') };
}
