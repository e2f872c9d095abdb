/** A region: a tiny, unpaged collection (plain full refresh). */
export interface Region {
  readonly code: string;
  readonly name: string;
}

/** A customer: a paged collection without a cursor (resumable full refresh). */
export interface Customer {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly region: string;
  readonly created_at: string;
}

/** An order: paged and filterable by `updated_at` (incremental). */
export interface Order {
  readonly id: number;
  readonly customer_id: number;
  readonly amount_cents: number;
  readonly status: 'placed' | 'paid' | 'shipped' | 'cancelled';
  readonly updated_at: string;
}

/** A note on a customer: the child of a substream, listed per customer. */
export interface CustomerNote {
  readonly id: number;
  readonly customer_id: number;
  readonly body: string;
}

/** Sizes of the generated data set. */
export interface SampleDataOptions {
  /** Number of customers. Defaults to 250. */
  customers?: number;
  /** Number of orders. Defaults to 1,000. */
  orders?: number;
  /** Notes per customer, cycling from 0 up to this number. Defaults to 3. */
  maxNotesPerCustomer?: number;
  /** Seed for the deterministic generator. Defaults to 1. */
  seed?: number;
}

/** The whole data set the API serves; the same options always give the same data. */
export interface SampleData {
  readonly regions: readonly Region[];
  readonly customers: readonly Customer[];
  /** Sorted by `updated_at`, then `id`, as the API returns them. */
  readonly orders: readonly Order[];
  readonly notes: readonly CustomerNote[];
}

const regionNames: Readonly<Record<string, string>> = {
  eu: 'Europe',
  na: 'North America',
  sa: 'South America',
  ap: 'Asia Pacific',
  af: 'Africa',
};
const statuses: Order['status'][] = ['placed', 'paid', 'shipped', 'cancelled'];
const firstNames = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Alan',
  'Barbara',
  'Dennis',
  'Frances',
  'Ken',
  'Radia',
];
const lastNames = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Turing',
  'Liskov',
  'Ritchie',
  'Allen',
  'Thompson',
];

function pseudoRandom(seed: number): () => number {
  // A small linear congruential generator: reproducible data without a dependency.
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Generates the API's data set deterministically from `options`. */
export function createSampleData(options: SampleDataOptions = {}): SampleData {
  const customerCount = options.customers ?? 250;
  const orderCount = options.orders ?? 1_000;
  const maxNotes = options.maxNotesPerCustomer ?? 3;
  const random = pseudoRandom(options.seed ?? 1);
  const regionCodes = Object.keys(regionNames);
  const epoch = Date.UTC(2026, 0, 1);

  const regions = regionCodes.map((code) => ({ code, name: regionNames[code] ?? code }));
  const customers: Customer[] = [];
  for (let id = 1; id <= customerCount; id += 1) {
    const first = firstNames[Math.floor(random() * firstNames.length)] ?? 'Ada';
    const last = lastNames[Math.floor(random() * lastNames.length)] ?? 'Lovelace';
    customers.push({
      id,
      name: `${first} ${last}`,
      email: `${first}.${last}.${id}@example.com`.toLowerCase(),
      region: regionCodes[Math.floor(random() * regionCodes.length)] ?? 'eu',
      created_at: new Date(epoch + id * 3_600_000).toISOString(),
    });
  }

  const orders: Order[] = [];
  let updatedAt = epoch;
  for (let id = 1; id <= orderCount; id += 1) {
    // Some orders share a timestamp, so a cursor must not skip ties at a page boundary.
    if (random() > 0.2) updatedAt += 1_000 + Math.floor(random() * 60_000);
    orders.push({
      id,
      customer_id: 1 + Math.floor(random() * Math.max(customerCount, 1)),
      amount_cents: 100 + Math.floor(random() * 100_000),
      status: statuses[Math.floor(random() * statuses.length)] ?? 'placed',
      updated_at: new Date(updatedAt).toISOString(),
    });
  }

  const notes: CustomerNote[] = [];
  let noteId = 1;
  for (const customer of customers) {
    const count = maxNotes === 0 ? 0 : customer.id % (maxNotes + 1);
    for (let index = 0; index < count; index += 1) {
      notes.push({ id: noteId, customer_id: customer.id, body: `Note ${index + 1} about ${customer.name}` });
      noteId += 1;
    }
  }
  return { regions, customers, orders, notes };
}
