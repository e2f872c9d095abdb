import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { DatasourceError } from '../errors/datasource-error';
import { readStateFile, saveStateFile } from './state-file';

// Fuzzer of the Panoply state file reader (what a resumed run trusts). Invariant: the contents the file
// holds, or a StateFileError (DATASOURCE_STATE_FILE); never another throw. FUZZ_RUNS / FUZZ_SEED.

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'state-file-fuzz-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const runState = fc.dictionary(
  fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', 'constructor')),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 4 },
);
const extras = fc.record(
  {
    runId: fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/),
    batchCount: fc.nat(),
    sinkCheckpoint: fc.record({
      type: fc.constant('json-lines'),
      filePath: fc.string({ maxLength: 8 }),
      bytes: fc.nat(),
    }),
  },
  { requiredKeys: [] },
);

/** Text damage with the characters JSON cares about. */
const damage = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.integer({ min: 0, max: 4 }),
  insert: fc.string({
    unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '-', '1', 'n', '\ufeff', ' '),
    maxLength: 3,
  }),
});

function expectStateFileError(error: unknown): void {
  if (!DatasourceError.isInstance(error) || error.code !== 'DATASOURCE_STATE_FILE') throw error;
}

describe('fuzz: state file (readStateFile)', () => {
  it('reads back what was saved, and reads damaged or arbitrary files into contents or DATASOURCE_STATE_FILE', async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.option(runState, { nil: null }),
        extras,
        fc.oneof(fc.constant(undefined), damage, fc.string({ maxLength: 30 }), fc.json({ maxDepth: 2 })),
        async (state, saved, change) => {
          const path = join(directory, `state-${count++}.json`);
          await saveStateFile(path, state, saved);
          if (change === undefined) {
            const contents = await readStateFile(path);
            // As JSON holds it (-0 is written as 0).
            const expected = state === null ? undefined : JSON.parse(JSON.stringify(state));
            expect(contents).toEqual({ state: expected, ...saved });
            return;
          }
          if (typeof change === 'string') await writeFile(path, change);
          else {
            const text = await readFile(path, 'utf8');
            const position = Math.floor(change.at * text.length);
            await writeFile(
              path,
              text.slice(0, position) + change.insert + text.slice(position + change.remove),
            );
          }
          try {
            const contents = await readStateFile(path);
            expect(contents?.state === undefined || typeof contents.state === 'object').toBe(true);
            if (contents?.runId !== undefined) expect(contents.runId).toMatch(/^[A-Za-z0-9-]{1,64}$/);
            if (contents?.batchCount !== undefined)
              expect(Number.isSafeInteger(contents.batchCount)).toBe(true);
          } catch (error) {
            expectStateFileError(error);
          }
        },
      ),
      fuzzParameters(150),
    );
  });
});
