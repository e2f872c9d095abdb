import { writeCompletion } from './write-completion.js';

const settledWithin = async (promise: Promise<void>) => {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
  return settled;
};

describe('writeCompletion', () => {
  it('resolves when the write reports itself done, not before', async () => {
    const completion = writeCompletion(new AbortController().signal);
    expect(await settledWithin(completion.written)).toBe(false);
    completion.onWritten();
    expect(await settledWithin(completion.written)).toBe(true);
  });

  it('resolves when the run aborts, as the bytes will never be written', async () => {
    const controller = new AbortController();
    const completion = writeCompletion(controller.signal);
    controller.abort(new Error('run failed'));
    expect(await settledWithin(completion.written)).toBe(true);
    expect(await settledWithin(writeCompletion(controller.signal).written)).toBe(true);
  });
});
