import { Readable } from 'node:stream';
import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { StreamCdkError } from '../errors/stream-cdk-error';
import { stateFromMessageLines } from './state-from-message-lines';

// Fuzzer of `state-from-messages`, which reads a read's output (one Airbyte message per line, any
// chunking, CRLF or LF) to build the next --state. Invariant: the latest state of every stream, or a
// StateParseError (CDK_STATE_INVALID) naming the line; never another throw. FUZZ_RUNS / FUZZ_SEED.

const stateLine = fc
  .tuple(fc.constantFrom('items', 'events', '__proto__'), fc.integer({ min: 0, max: 9 }))
  .map(([name, page]) =>
    JSON.stringify({
      type: 'STATE',
      state: { type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: { page } } },
    }),
  );
const otherLine = fc.oneof(
  fc.constantFrom(
    '{"type":"RECORD","record":{"stream":"items","data":{},"emitted_at":1}}',
    '',
    'not json "STATE"',
    '[1,2]',
  ),
  fc.json({ maxDepth: 2 }),
);

/** A line with a few characters replaced, so that a STATE message may be malformed but still say "STATE". */
const damagedLine = fc
  .tuple(
    stateLine,
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 0, max: 4 }),
    fc.string({ unit: fc.constantFrom('"', '{', '}', '[', ':', ',', 'x', '1', 'null'), maxLength: 3 }),
  )
  .map(([line, at, remove, insert]) => {
    const position = Math.floor(at * line.length);
    return line.slice(0, position) + insert + line.slice(position + remove);
  });

describe('fuzz: state-from-messages input (stateFromMessageLines)', () => {
  it('gives the latest state of every stream, or CDK_STATE_INVALID, for any lines in any chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(stateLine, otherLine, damagedLine), { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (lines, lineBreak, cuts) => {
          const text = lines.join(lineBreak);
          const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...points, text.length]
            .slice(1)
            .map((end, index, ends) => text.slice(index === 0 ? 0 : ends[index - 1], end));
          try {
            const states = await stateFromMessageLines(
              Readable.from(chunks.filter((chunk) => chunk !== '')),
              undefined,
            );
            for (const state of states) expect(state.type).toBe('STREAM');
          } catch (error) {
            if (!StreamCdkError.isInstance(error) || error.code !== 'CDK_STATE_INVALID') throw error;
            expect(error.message).toMatch(/line \d+/);
          }
        },
      ),
      fuzzParameters(300),
    );
  });
});
