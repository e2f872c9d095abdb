// The check both sides of the peer comparison run on what they receive, inside the timed part: every row
// 0..rows-1 of `bench_rows` exactly once, with a = index and b = rows - index. Order is not required
// (neither transport promises it across batches), duplicates and strays are errors.
export function createRowChecker(rows) {
  const seen = new Uint8Array(rows);
  let received = 0;
  return {
    /** Checks one received Arrow table (any number of rows); throws on a wrong, duplicate or stray row. */
    check(table) {
      const columnA = table.getChild('a')?.toArray();
      const columnB = table.getChild('b')?.toArray();
      if (!columnA || !columnB) throw new Error('received a table without columns a and b');
      for (let row = 0; row < table.numRows; row += 1) {
        const a = columnA[row];
        const b = columnB[row];
        if (!Number.isInteger(a) || a < 0 || a >= rows || seen[a] === 1 || b !== rows - a) {
          throw new Error(`unexpected row a=${a} b=${b}`);
        }
        seen[a] = 1;
      }
      received += table.numRows;
    },
    /** Throws unless every row arrived; returns the row count. */
    finish() {
      if (received !== rows) throw new Error(`received ${received} of ${rows} rows`);
      return received;
    },
  };
}
