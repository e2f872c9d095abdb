import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThrowawayClusterError } from '../errors/throwaway-cluster-error';
import { findPostgresBinaries } from './postgres-binaries';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pg-binaries-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function fakeBinDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of ['initdb', 'pg_ctl']) {
    await writeFile(join(dir, name), '#!/bin/sh\n');
    await chmod(join(dir, name), 0o755);
  }
}

test('without binaries, fails with a typed error that says how to install them', () => {
  let caught: unknown;
  try {
    findPostgresBinaries({ searchPath: join(root, 'empty'), versionsRoot: join(root, 'none') });
  } catch (error) {
    caught = error;
  }
  expect(ThrowawayClusterError.isInstance(caught)).toBe(true);
  expect((caught as ThrowawayClusterError).code).toBe('POSTGRES_THROWAWAY_CLUSTER');
  expect((caught as Error).message).toContain('apt-get install postgresql');
});

test('takes the highest major version under the versions root when PATH has none', async () => {
  await fakeBinDir(join(root, 'lib', '9.6', 'bin'));
  await fakeBinDir(join(root, 'lib', '15', 'bin'));
  await fakeBinDir(join(root, 'lib', '16', 'bin'));
  const found = findPostgresBinaries({ searchPath: '', versionsRoot: join(root, 'lib') });
  expect(found.binDir).toBe(join(root, 'lib', '16', 'bin'));
  expect(found.pgCtl).toBe(join(root, 'lib', '16', 'bin', 'pg_ctl'));
});

test('prefers PATH', async () => {
  await fakeBinDir(join(root, 'path'));
  await fakeBinDir(join(root, 'lib', '16', 'bin'));
  expect(
    findPostgresBinaries({ searchPath: join(root, 'path'), versionsRoot: join(root, 'lib') }).binDir,
  ).toBe(join(root, 'path'));
});
