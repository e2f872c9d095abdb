// The Python grpcio reference row needs Debian's python3-grpcio (gRPC's C core, the stack the AMP Python
// SDK runs on) for the system Python. Installed here with apt-get when missing, where this process is
// root and apt-get exists; anywhere else the row is skipped with the reason.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's own Python, the one python3-grpcio installs into. */
const python = '/usr/bin/python3';

function hasGrpcio() {
  return existsSync(python) && spawnSync(python, ['-c', 'import grpc'], { stdio: 'ignore' }).status === 0;
}

function grpcioVersion() {
  return execFileSync(python, ['-c', 'import grpc; print(grpc.__version__)'], { encoding: 'utf8' }).trim();
}

/**
 * `{ python, version }` when `python3 -c "import grpc"` works (after installing python3-grpcio if
 * needed and possible), else `{ skipped }` saying why.
 */
export function ensurePythonGrpcio() {
  if (hasGrpcio()) return { python, version: grpcioVersion() };
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].find((path) => existsSync(path));
  if (!root || aptGet === undefined) {
    return { skipped: `python3-grpcio is not installed and apt-get ${root ? 'is missing' : 'needs root'}` };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync(aptGet, ['install', '-y', '--no-install-recommends', 'python3-grpcio'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    }).status === 0;
  process.stderr.write('installing python3-grpcio for the grpcio reference row (apt-get)\n');
  // A machine whose package lists were never fetched knows no python3-grpcio: fetch them once and retry.
  if (!install()) {
    spawnSync(aptGet, ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    install();
  }
  if (hasGrpcio()) return { python, version: grpcioVersion() };
  return { skipped: 'installing python3-grpcio with apt-get failed' };
}
