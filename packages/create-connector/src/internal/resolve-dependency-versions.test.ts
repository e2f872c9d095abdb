import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './package-root';
import { resolveDependencyVersions } from './resolve-dependency-versions';

describe('resolveDependencyVersions', () => {
  const own = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).devDependencies;

  it('keeps the workspace and catalog protocols in workspace mode', () => {
    expect(resolveDependencyVersions('workspace')).toEqual(own);
  });

  it('resolves them to the checkout’s released versions in standalone mode', () => {
    const versions = resolveDependencyVersions('standalone');
    const streamCdk = JSON.parse(
      readFileSync(join(PACKAGE_ROOT, '..', 'stream-cdk', 'package.json'), 'utf8'),
    );
    expect(versions['@sdk/stream-cdk']).toBe(`^${streamCdk.version}`);
    // The packages --engines adds are known too.
    for (const name of ['amp-input-tool', 'datasource-bridge', 'flow-shim', 'datasource', 'transport-grpc']) {
      const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, '..', name, 'package.json'), 'utf8'));
      expect(versions[`@sdk/${name}`]).toBe(`^${manifest.version}`);
    }
    const catalog = readFileSync(join(PACKAGE_ROOT, '..', '..', 'pnpm-workspace.yaml'), 'utf8');
    const arrow = /^\s+apache-arrow:\s*(\S+)/m.exec(catalog)?.[1];
    expect(versions['apache-arrow']).toBe(`^${arrow}`);
    expect(versions.typescript).toBe(own.typescript);
    for (const range of Object.values(versions)) expect(range).toMatch(/^\^?\d+\.\d+\.\d+/);
  });
});
