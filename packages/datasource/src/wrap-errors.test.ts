import { NormalizedSourceError } from './errors/normalized-source-error';
import { SourceError } from './errors/source-error';
import { normalizeError, setInternalCode, wrapErrors } from './wrap-errors';

class NotFoundError extends Error {}
setInternalCode(404)(NotFoundError);
class NotFoundChildError extends NotFoundError {}
class WeirdCodeError extends Error {}
setInternalCode(777)(WeirdCodeError);

@setInternalCode(429)
class RateLimitError extends Error {}

const source = { type: 'postgres', id: 'src-1', database: 'db-9' };

class Collector {
  source = source;

  @wrapErrors('collect')
  fail(error: unknown): void {
    throw error;
  }

  @wrapErrors('collect')
  async failLater(error: unknown): Promise<void> {
    await Promise.resolve();
    throw error;
  }

  @wrapErrors('config')
  outer(error: unknown): void {
    this.fail(error);
  }

  @wrapErrors('collect')
  ok(): number {
    return 7;
  }
}

function caught(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('wrapErrors / normalizeError', () => {
  it('maps a registered exact class to its code and carries the source identity and phase', () => {
    const error = caught(() => new Collector().fail(new NotFoundError('gone')));
    expect(NormalizedSourceError.isInstance(error)).toBe(true);
    const normalized = error as NormalizedSourceError;
    expect(normalized.code).toBe('DATASOURCE_NORMALIZED');
    expect(normalized.internalCode).toBe(404);
    expect(normalized.phase).toBe('collect');
    expect(normalized.sourceType).toBe('postgres');
    expect(normalized.sourceId).toBe('src-1');
    expect(normalized.databaseId).toBe('db-9');
    expect(normalized.exceptionClass).toBe('NotFoundError');
    expect(normalized.createdAt).toBeInstanceOf(Date);
  });

  it('does not match subclasses (exact class lookup) and defaults to 501', () => {
    expect(normalizeError(new NotFoundChildError('x'), 'collect', source).internalCode).toBe(501);
    expect(normalizeError(new Error('x'), 'collect', source).internalCode).toBe(501);
  });

  it('supports the class decorator form', () => {
    expect(normalizeError(new RateLimitError('slow down'), 'collect', source).internalCode).toBe(429);
  });

  it('uses 506 for an unknown registered code or a source without type, id and database', () => {
    expect(normalizeError(new WeirdCodeError('x'), 'collect', source).internalCode).toBe(506);
    expect(normalizeError(new NotFoundError('x'), 'collect', { type: 'a' }).internalCode).toBe(506);
  });

  it('lets the outermost phase win with nested wrappers', () => {
    const error = caught(() => new Collector().outer(new NotFoundError('gone'))) as NormalizedSourceError;
    expect(error.phase).toBe('config');
    expect(error.internalCode).toBe(404);
  });

  it('wraps async rejections and keeps retryable from the original error', async () => {
    const rejection = new Collector().failLater(new SourceError('no', { retryable: false }));
    await expect(rejection).rejects.toMatchObject({ code: 'DATASOURCE_NORMALIZED', retryable: false });
  });

  it('passes results through untouched', () => {
    expect(new Collector().ok()).toBe(7);
  });
});
