// A minimal use of @sdk/arrow-chunker: rows become an Arrow record batch (schema inferred), the batch
// is encoded as one Arrow IPC stream cut into 4 KiB chunks, and an assembler turns the chunks back
// into a table, as a receiver on the other side of a transport would.
// Shared by minimal.cjs (require) and minimal.mjs (import), which hand it the loaded packages.
module.exports = async function runMinimalConnector({ sdk, arrow }) {
  const { ChunkAssembler, encodeChunks, rowsToRecordBatch, tableToRows } = sdk;
  const { Table } = arrow;

  const rows = Array.from({ length: 5000 }, (_, id) => ({ id, name: `row ${id}`, active: id % 2 === 0 }));
  const batch = rowsToRecordBatch(rows);
  const assembler = new ChunkAssembler({ channel: 'example' });
  let chunks = 0;
  let table;
  for (const chunk of encodeChunks(batch, { maxChunkBytes: 4096 })) {
    chunks += 1;
    table = assembler.push(chunk) ?? table;
  }
  assembler.close();
  if (!(table instanceof Table))
    throw new Error('the reassembled stream is not a Table of this apache-arrow');
  const back = tableToRows(table);
  if (back.length !== rows.length || back[4999].name !== 'row 4999')
    throw new Error('rows changed on the way');
  console.log(`${rows.length} rows -> ${chunks} chunks of <= 4096 bytes -> ${table.numRows} rows back`);
};
