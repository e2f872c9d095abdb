import { type DataRecord, DataSource, type ProgressEvent, type SourceStateEvent } from './data-source';
import { toDataSourceModule } from './data-source-module';
import { ModuleContractError } from './errors/module-contract-error';

class ListSource extends DataSource {
  #remaining = [{ id: 1 }, { id: 2 }, { id: 3 }];

  async read(batchSize = 2): Promise<DataRecord[] | null> {
    if (this.#remaining.length === 0) return null;
    const batch = this.#remaining.splice(0, batchSize);
    const stateId = `s${batch[0]?.id}`;
    this.state(stateId, { lastId: batch[batch.length - 1]?.id });
    this.progress(3 - this.#remaining.length, 3, 'reading');
    return batch.map((record) => ({ ...record, __state: stateId }));
  }
}

describe('DataSource', () => {
  it('stores source and options, giving each instance its own default options', () => {
    const first = new ListSource({ a: 1 });
    const second = new ListSource({ a: 2 });
    expect(first.source).toEqual({ a: 1 });
    expect(first.options).not.toBe(second.options);
    first.options.extra = true;
    expect(second.options.extra).toBeUndefined();
  });

  it('reads until null, firing source-state before progress, with camelCase stateId', async () => {
    const source = new ListSource({});
    const events: string[] = [];
    const states: SourceStateEvent[] = [];
    const progress: ProgressEvent[] = [];
    source
      .on('*', (name) => events.push(name))
      .on('source-state', (event) => states.push(event))
      .on('progress', (event) => progress.push(event));
    const batches: unknown[] = [];
    for (let batch = await source.read(); batch; batch = await source.read()) batches.push(batch);
    expect(batches).toEqual([
      [
        { id: 1, __state: 's1' },
        { id: 2, __state: 's1' },
      ],
      [{ id: 3, __state: 's3' }],
    ]);
    expect(events).toEqual(['source-state', 'progress', 'source-state', 'progress']);
    expect(states[1]).toEqual({ stateId: 's3', state: { lastId: 3 } });
    expect(progress[0]).toEqual({ loaded: 2, total: 3, msg: 'reading' });
  });

  it('defaults the progress message to an empty string', () => {
    const source = new ListSource({});
    const seen: ProgressEvent[] = [];
    source.on('progress', (event) => seen.push(event));
    source.progress(null, null);
    expect(seen).toEqual([{ loaded: null, total: null, msg: '' }]);
  });

  it('passes log arguments to options.logger as one array', () => {
    const calls: unknown[] = [];
    const source = new ListSource({}, { logger: (messages) => calls.push(messages) });
    source.log('a', 2);
    expect(calls).toEqual([['a', 2]]);
  });

  it('logs to stderr without a logger', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    new ListSource({}).log('hello', 42);
    expect(spy).toHaveBeenCalledWith('hello 42');
    spy.mockRestore();
  });

  it('builds raw records with base64 of the bytes', () => {
    const source = new ListSource({});
    expect(source.raw('file', new Uint8Array([0, 1, 97, 98, 99]), { __state: 'x' })).toEqual({
      type: 'raw',
      tag: 'file',
      raw: 'AAFhYmM=',
      metadata: { __state: 'x' },
    });
    const view = new Uint8Array([9, 0, 1, 97, 98, 99]).subarray(1);
    expect(source.raw('file', view).raw).toBe('AAFhYmM=');
    expect(source.raw('text', 'hé').raw).toBe(Buffer.from('hé').toString('base64'));
  });

  it('fires custom events such as source-change', () => {
    const source = new ListSource({});
    const changes: unknown[] = [];
    source.on('source-change', (change) => changes.push(change));
    source.fire('source-change', { access_token: 'new' });
    expect(changes).toEqual([{ access_token: 'new' }]);
  });
});

describe('toDataSourceModule', () => {
  const CONFIG = { title: 'List', params: [] };

  it('accepts Stream and CONFIG, also under default', () => {
    expect(toDataSourceModule({ Stream: ListSource, CONFIG }).Stream).toBe(ListSource);
    expect(toDataSourceModule({ default: { Stream: ListSource, CONFIG } }).CONFIG).toBe(CONFIG);
  });

  it('rejects modules that break the contract', () => {
    expect(() => toDataSourceModule({})).toThrow(ModuleContractError);
    expect(() => toDataSourceModule({ Stream: class {}, CONFIG })).toThrow(ModuleContractError);
    expect(() => toDataSourceModule({ Stream: ListSource })).toThrow(ModuleContractError);
    expect(() => toDataSourceModule({ Stream: ListSource, CONFIG: { title: 'x' } })).toThrow(
      ModuleContractError,
    );
    expect(() => toDataSourceModule(null)).toThrow(ModuleContractError);
  });
});
