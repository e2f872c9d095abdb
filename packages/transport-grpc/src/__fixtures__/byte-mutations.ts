import fc from 'fast-check';

/**
 * Structure-aware damage to a valid byte sequence, for fuzz tests: flip, overwrite, insert or delete
 * bytes, cut the tail, repeat a slice, or write a big-endian 32-bit value (a length prefix) anywhere.
 */
export type ByteMutation =
  | { readonly kind: 'none' }
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'repeat'; readonly at: number; readonly count: number }
  | { readonly kind: 'u32'; readonly at: number; readonly value: number };

/** Positions are fractions of the input's length (0 to 1), so one mutation fits any input. */
const at = fc.double({ min: 0, max: 1, noNaN: true });

/** Lengths a prefix may declare: small, near the limits, and far beyond anything received. */
export const declaredLengthArbitrary = fc.oneof(
  fc.integer({ min: 0, max: 64 }),
  fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 4 * 1024 * 1024, 4 * 1024 * 1024 + 1),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
);

/** One mutation (a third of the cases leave the input intact, so valid inputs keep being checked). */
export const byteMutationArbitrary = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' }), weight: 3 },
  fc.record({ kind: fc.constant('flip'), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set'), at, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert'), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete'), at, count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate'), at }),
  fc.record({ kind: fc.constant('repeat'), at, count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('u32'), at, value: declaredLengthArbitrary }),
) as fc.Arbitrary<ByteMutation>;

/** `input` with mutation `m` applied (a new array; the input is left as it was). */
export function applyByteMutation(input: Uint8Array, m: ByteMutation): Uint8Array {
  if (m.kind === 'none') return input.slice();
  const position = Math.min(input.byteLength, Math.floor(m.at * input.byteLength));
  const before = input.subarray(0, position);
  const after = input.subarray(position);
  const join = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));
  switch (m.kind) {
    case 'flip':
    case 'set': {
      const output = input.slice();
      if (position < output.byteLength) {
        output[position] = m.kind === 'flip' ? (output[position] as number) ^ (1 << m.bit) : m.value;
      }
      return output;
    }
    case 'insert':
      return join(before, m.bytes, after);
    case 'delete':
      return join(before, after.subarray(m.count));
    case 'truncate':
      return input.slice(0, position);
    case 'repeat':
      return join(before, after.subarray(0, m.count), after);
    case 'u32': {
      const value = Uint8Array.of(
        m.value >>> 24,
        (m.value >>> 16) & 255,
        (m.value >>> 8) & 255,
        m.value & 255,
      );
      return join(before, value, after.subarray(4));
    }
  }
}

/** Cut points, as fractions of the length, that split one input into the pieces a peer sends. */
export const cutsArbitrary = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });

/** `input` cut at `cuts` (sorted; empty pieces kept, since a peer may send an empty DATA frame). */
export function cutInto(input: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = cuts.map((cut) => Math.floor(cut * input.byteLength)).sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(input.subarray(start, point));
    start = point;
  }
  pieces.push(input.subarray(start));
  return pieces;
}
