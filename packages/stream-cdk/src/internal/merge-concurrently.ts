/**
 * Runs up to `limit` generators at a time and yields their items as they come, each generator's
 * items in its own order. A generator is advanced again only after its previous item was consumed,
 * so at most one item per running generator waits in memory. `mayStart()` is asked before each start
 * (a false answer starts no more). Closing the merged generator early closes the running ones.
 */
export async function* mergeConcurrently<T>(
  starts: readonly (() => AsyncGenerator<T>)[],
  limit: number,
  mayStart: () => boolean = () => true,
): AsyncGenerator<T> {
  interface Running {
    generator: AsyncGenerator<T>;
    pending: Promise<{ id: number; result: IteratorResult<T> }>;
  }
  const running = new Map<number, Running>();
  let nextIndex = 0;
  const advance = (id: number, generator: AsyncGenerator<T>) =>
    generator.next().then((result) => ({ id, result }));
  const fill = (): void => {
    while (running.size < limit && nextIndex < starts.length && mayStart()) {
      const id = nextIndex++;
      const generator = (starts[id] as () => AsyncGenerator<T>)();
      running.set(id, { generator, pending: advance(id, generator) });
    }
  };
  try {
    fill();
    while (running.size > 0) {
      const { id, result } = await Promise.race([...running.values()].map((entry) => entry.pending));
      const entry = running.get(id) as Running;
      if (result.done === true) {
        running.delete(id);
        fill();
        continue;
      }
      yield result.value;
      entry.pending = advance(id, entry.generator);
    }
  } finally {
    for (const entry of running.values()) {
      await entry.pending.catch(() => undefined);
      await entry.generator.return(undefined as never).catch(() => undefined);
    }
  }
}
