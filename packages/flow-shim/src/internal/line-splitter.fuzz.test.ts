import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { LineSplitter } from './line-splitter';

// Fuzzer of the stdin line splitter: any bytes in any chunks. Invariant: the lines the bytes hold
// (UTF-8 intact across chunk boundaries), or the caller's too-long error naming the line, with never
// more than the limit of one unfinished line held. FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

class TooLong extends Error {
  constructor(readonly lineNumber: number) {
    super(`line ${lineNumber} too long`);
  }
}

const text = fc
  .array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('\n', '\r\n', 'é', '😀', '\n\n')), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

describe('fuzz: stdin lines (LineSplitter)', () => {
  it('splits any chunking of the bytes into the same lines, or stops at the first line over the limit', () => {
    fc.assert(
      fc.property(
        text,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        (input, cuts, maxLineBytes) => {
          const bytes = Buffer.from(input, 'utf8');
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks = [...points, bytes.length].map((end, index, ends) =>
            bytes.subarray(index === 0 ? 0 : (ends[index - 1] as number), end),
          );
          const splitter = new LineSplitter(maxLineBytes, (lineNumber) => new TooLong(lineNumber));
          const lines: string[] = [];
          const expected = input.split('\n');
          const last = expected.pop() as string;
          if (last !== '') expected.push(last);
          const firstTooLong = expected.findIndex((line) => Buffer.byteLength(line) > maxLineBytes);
          try {
            for (const chunk of chunks) lines.push(...splitter.push(Buffer.from(chunk)));
            const end = splitter.end();
            if (end !== undefined) lines.push(end);
          } catch (error) {
            if (!(error instanceof TooLong)) throw error;
            expect(error.lineNumber).toBe(firstTooLong + 1);
            expect(lines).toEqual(expected.slice(0, lines.length));
            return;
          }
          expect(firstTooLong).toBe(-1);
          expect(lines).toEqual(expected);
        },
      ),
      fuzzParameters(500),
    );
  });
});
