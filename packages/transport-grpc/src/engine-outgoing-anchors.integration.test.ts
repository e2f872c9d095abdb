import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { startRawPluginServer } from './__fixtures__/raw-plugin-server.js';
import { outgoingRecordsMessage } from './internal/service-definition.js';
import { connectToPlugin } from './plugin-connection.js';

/** One complete Arrow stream as a single records message for `anchorName`. */
function wholeStreamTo(anchorName: string) {
  return outgoingRecordsMessage({
    anchorName,
    data: tableToIPC(tableFromArrays({ id: Int32Array.of(1, 2, 3) }), 'stream'),
    endOfChunk: true,
  });
}

async function runAgainst(messages: Parameters<typeof startRawPluginServer>[0]) {
  const plugin = await startRawPluginServer(messages);
  const connection = connectToPlugin({ address: plugin.address });
  try {
    const run = connection.startRun({ outgoingAnchors: [{ name: 'Output' }] });
    const outputs: string[] = [];
    const consumed = (async () => {
      for await (const output of run.outputs) outputs.push(output.anchorName);
    })();
    await run.complete().catch(() => undefined);
    const settled = await run.finished.then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );
    await consumed.catch(() => undefined);
    return { ...settled, outputs };
  } finally {
    await connection.close();
    plugin.close();
  }
}

describe('engine side: what a plugin may write', () => {
  it('delivers records for a declared outgoing anchor', async () => {
    const { error, outputs } = await runAgainst([wholeStreamTo('Output')]);
    expect(error).toBeUndefined();
    expect(outputs).toEqual(['Output']);
  });

  it('rejects records for an outgoing anchor the run did not declare, naming it', async () => {
    const { error, outputs } = await runAgainst([wholeStreamTo('Ghost')]);
    expect(error).toMatchObject({ code: 'TRANSPORT_UNKNOWN_ANCHOR', anchorName: 'Ghost' });
    expect(outputs).toEqual([]);
  });

  it('rejects closing an undeclared anchor', async () => {
    const { error } = await runAgainst([{ closeOutgoingAnchor: { name: 'Ghost' } }]);
    expect(error).toMatchObject({ code: 'TRANSPORT_UNKNOWN_ANCHOR', anchorName: 'Ghost' });
  });

  it('rejects records written to an anchor after closing it', async () => {
    const { error, outputs } = await runAgainst([
      wholeStreamTo('Output'),
      { closeOutgoingAnchor: { name: 'Output' } },
      wholeStreamTo('Output'),
    ]);
    expect(error).toMatchObject({ code: 'TRANSPORT_PROTOCOL', anchorName: 'Output' });
    expect(outputs).toEqual(['Output']);
  });
});
