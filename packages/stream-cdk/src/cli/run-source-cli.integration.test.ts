import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AirbyteMessage } from '../protocol/airbyte-protocol';
import { assertValidMessages } from '../testing/protocol-validation';
import { createReadSourceResult, latestStatePerStream } from '../testing/read-source';

const fixtures = join(__dirname, '..', '__fixtures__');
// The workspace's shared test tool that lets a child process run TypeScript sources.
const tsRegister = join(__dirname, '..', '..', '..', '..', 'scripts', 'ts-register.js');

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', tsRegister, join(fixtures, 'sample-source-main.ts'), ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function parseLines(stdout: string): AirbyteMessage[] {
  const lines = stdout.split('\n');
  expect(lines.at(-1)).toBe('');
  const messages = lines.slice(0, -1).map((line) => JSON.parse(line) as AirbyteMessage);
  assertValidMessages(messages);
  return messages;
}

describe('the real CLI of a sample source', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stream-cdk-int-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  const catalog = {
    streams: [
      {
        stream: { name: 'items', json_schema: {}, supported_sync_modes: ['full_refresh'] },
        sync_mode: 'full_refresh',
        destination_sync_mode: 'overwrite',
      },
      {
        stream: { name: 'events', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
        sync_mode: 'incremental',
        destination_sync_mode: 'append',
      },
    ],
  };

  it('spec prints exactly one SPEC line', async () => {
    const { code, stdout, stderr } = await runCli(['spec']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(parseLines(stdout).map((m) => m.type)).toEqual(['SPEC']);
  });

  it('read fails midway, exits 1, and a second read with its state finishes without duplicates', async () => {
    const failing = write('failing.json', {
      api_key: 'k-123456',
      page_count: 5,
      page_size: 3,
      fail_on_page: 3,
    });
    const first = await runCli([
      'read',
      '--config',
      failing,
      '--catalog',
      write('catalog.json', catalog),
      '--debug',
    ]);
    expect(first.code).toBe(1);
    const run1 = createReadSourceResult(parseLines(first.stdout));
    expect(run1.statuses('items')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
    expect(run1.statuses('events')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(run1.states('items')).toEqual([{ page: 2 }, { page: 3 }]);
    expect(run1.messages.filter((m) => m.type === 'LOG' && m.log.message.startsWith('slice:'))).toHaveLength(
      4,
    );
    expect(first.stdout).not.toContain('k-123456');

    const state = write('state.json', latestStatePerStream(run1.messages));
    const healthy = write('healthy.json', { api_key: 'k-123456', page_count: 5, page_size: 3 });
    const second = await runCli([
      'read',
      '--config',
      healthy,
      '--catalog',
      write('catalog.json', catalog),
      '--state',
      state,
    ]);
    expect(second.code).toBe(0);
    const run2 = createReadSourceResult(parseLines(second.stdout));
    expect(run2.records('items').map((r) => r.page)).toEqual([3, 3, 3, 4, 4, 4, 5, 5, 5]);
    expect(run2.records('events')).toEqual([]);
    expect(run2.states('events')).toEqual([{ id: 5 }]);
    const ids = [...run1.records('items'), ...run2.records('items')].map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: 15 }, (_, index) => index));
  });
});
