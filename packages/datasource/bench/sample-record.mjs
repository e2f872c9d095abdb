// The record every datasource benchmark writes: ~250 bytes of JSON, like a small API row.
export function sampleRecord(index) {
  return {
    id: index,
    name: `customer ${index}`,
    email: `customer${index}@example.com`,
    amount: index * 1.25,
    note: 'x'.repeat(120),
    created_at: new Date(1_700_000_000_000 + index * 1000).toISOString(),
  };
}
