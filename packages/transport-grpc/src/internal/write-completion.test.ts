import { getEventListeners } from 'node:events';
import { WriteCompletions } from './write-completion.js';

const settledWithin = async (promise: Promise<void>) => {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
  return settled;
};

describe('WriteCompletions', () => {
  it('resolves a write when it reports itself done, not before', async () => {
    const completion = new WriteCompletions(new AbortController().signal).track();
    expect(await settledWithin(completion.written)).toBe(false);
    completion.onWritten();
    expect(await settledWithin(completion.written)).toBe(true);
  });

  it('resolves every waiting write when the run aborts, as their bytes will never be written', async () => {
    const controller = new AbortController();
    const completions = new WriteCompletions(controller.signal);
    const waiting = [completions.track(), completions.track()];
    controller.abort(new Error('run failed'));
    for (const completion of waiting) expect(await settledWithin(completion.written)).toBe(true);
    expect(await settledWithin(completions.track().written)).toBe(true);
  });

  it('listens to the run signal once, however many writes wait at once', () => {
    const controller = new AbortController();
    const completions = new WriteCompletions(controller.signal);
    const waiting = Array.from({ length: 50 }, () => completions.track());
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const completion of waiting) completion.onWritten();
  });
});
