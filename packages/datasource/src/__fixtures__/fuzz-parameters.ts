/**
 * fast-check parameters of this package's fuzz tests (`*.fuzz.test.ts`), as in @sdk/arrow-chunker's:
 * a plain `jest` run (CI) makes `defaultRuns` cases from a fixed seed; `FUZZ_RUNS` sets the number of
 * cases (at most `maxRuns`, for properties whose cases are large and few kinds) and, without
 * `FUZZ_SEED`, draws a new seed per run (fast-check prints the seed and path of a failure;
 * `FUZZ_SEED=<seed>` replays it). `FUZZ_NO_SHRINK=1` reports the first failure unshrunk.
 */
export function fuzzParameters(
  defaultRuns: number,
  maxRuns = Number.POSITIVE_INFINITY,
): {
  numRuns: number;
  seed: number;
  endOnFailure: boolean;
} {
  const runs = Number(process.env.FUZZ_RUNS);
  const seed = Number(process.env.FUZZ_SEED);
  return {
    endOnFailure: process.env.FUZZ_NO_SHRINK === '1',
    numRuns: Number.isSafeInteger(runs) && runs > 0 ? Math.min(runs, maxRuns) : defaultRuns,
    seed: Number.isSafeInteger(seed) ? seed : Number.isSafeInteger(runs) ? Date.now() % 2 ** 31 : 16_016,
  };
}
