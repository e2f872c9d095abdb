// Deterministic rows for the benchmark and demo: 8 mixed columns, about 20% nulls in the nullable ones.
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliett'];

/** A small, fast, seeded pseudo-random generator (mulberry32), so every run sees the same data. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns `count` rows: id, quantity (ints), price (float), sku (short string), description (long string), created_at (Date), active (bool), note (short string). */
export function mixedRows(count, seed = 42) {
  const random = seededRandom(seed);
  const maybe = (value) => (random() < 0.2 ? null : value);
  const rows = new Array(count);
  const start = Date.UTC(2024, 0, 1);
  for (let index = 0; index < count; index += 1) {
    const word = WORDS[index % WORDS.length];
    rows[index] = {
      id: index,
      quantity: maybe(Math.floor(random() * 1000)),
      price: maybe(Math.round(random() * 100_000) / 100),
      sku: maybe(`SKU-${(index * 7919) % 100_000}`),
      description: maybe(
        `${word} item ${index}: a longer free-text description that repeats ${word} to look like real product copy.`,
      ),
      created_at: maybe(new Date(start + index * 1000)),
      active: maybe(random() < 0.5),
      note: maybe(random() < 0.5 ? 'ok' : `check ${word}`),
    };
  }
  return rows;
}
