import fc from 'fast-check';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { parseLinkHeader } from './parse-link-header';

// Fuzzer of the Link header parser (the header of every page an API answers with). Invariant: the
// links written, whatever their parameters are named; never a throw or a hang on any header.
// FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

const token = fc.oneof(
  fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9a-z]{1,6}$/),
  fc.constantFrom('rel', 'title', 'constructor', '__proto__', 'tostring'),
);
const quotedValue = fc.string({
  unit: fc.constantFrom('a', ' ', ',', ';', '"', '\\', '<', '>', '=', 'é'),
  maxLength: 8,
});
const link = fc.record({
  target: fc
    .string({ unit: fc.constantFrom('h', '/', '?', '=', '&', ',', ';', ' ', '"', 'é'), maxLength: 10 })
    .map((text) => text.trim()),
  params: fc.uniqueArray(fc.tuple(token, quotedValue), { maxLength: 4, selector: ([name]) => name }),
});

const quote = (value: string) => `"${value.replace(/["\\]/g, (char) => `\\${char}`)}"`;

describe('fuzz: Link header (parseLinkHeader)', () => {
  it('reads back the links written, with every parameter', () => {
    fc.assert(
      fc.property(
        fc.array(link, { maxLength: 4 }),
        fc.constantFrom(', ', ',', ' ,\t'),
        (links, separator) => {
          const header = links
            .map(
              ({ target, params }) =>
                `<${target}>${params.map(([name, value]) => `; ${name}=${quote(value)}`).join('')}`,
            )
            .join(separator);
          const parsed = parseLinkHeader(header);
          // Key order is JavaScript's (index-like names first); what matters is every name and value.
          const sorted = (entries: [string, string][]) =>
            [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          expect(parsed.map(({ target, params }) => [target, sorted(Object.entries(params))])).toEqual(
            links.map(({ target, params }) => [target, sorted(params)]),
          );
        },
      ),
      fuzzParameters(500),
    );
  });

  it('reads any header without throwing, promptly', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({
            unit: fc.constantFrom('<', '>', ';', ',', '"', '\\', '=', ' ', 'a', 'rel'),
            maxLength: 40,
          }),
          fc
            .constantFrom('<', '"', '<a>; x="', ';')
            .chain((piece) => fc.integer({ min: 1, max: 20_000 }).map((count) => piece.repeat(count))),
        ),
        (header) => {
          const started = Date.now();
          for (const parsed of parseLinkHeader(header)) expect(Array.isArray(parsed.rels)).toBe(true);
          expect(Date.now() - started).toBeLessThan(5_000);
        },
      ),
      fuzzParameters(300, 3000),
    );
  });
});
