import { HttpApiSourceError } from '../errors/http-api-source-error';
import { InvalidStateError } from '../errors/invalid-state-error';
import { isAfter, parseOrderCursor } from './order-cursor';

describe('parseOrderCursor', () => {
  it('reads {} as "start over" and keeps both halves of a keyset state', () => {
    expect(parseOrderCursor({})).toBeUndefined();
    expect(parseOrderCursor({ updated_at: '2026-01-01T00:00:05.000Z', id: 17 })).toEqual({
      updated_at: '2026-01-01T00:00:05.000Z',
      id: 17,
    });
  });

  it('reads a cursor-only state as "before every order of that timestamp"', () => {
    expect(parseOrderCursor({ updated_at: '2026-01-01T00:00:05.000Z' })).toEqual({
      updated_at: '2026-01-01T00:00:05.000Z',
      id: 0,
    });
  });

  it.each([
    [{ updated_at: 'yesterday' }],
    [{ updated_at: 1_767_225_600_000 }],
    [{ id: 3 }],
    [{ updated_at: '2026-01-01T00:00:05.000Z', id: -1 }],
    [{ updated_at: '2026-01-01T00:00:05.000Z', id: '3' }],
  ])('rejects %j with HTTP_API_STATE_INVALID, a config error', (state) => {
    let caught: unknown;
    try {
      parseOrderCursor(state);
    } catch (error) {
      caught = error;
    }
    expect(InvalidStateError.isInstance(caught)).toBe(true);
    expect(HttpApiSourceError.isInstance(caught)).toBe(true);
    expect((caught as InvalidStateError).code).toBe('HTTP_API_STATE_INVALID');
    expect((caught as InvalidStateError).failureType).toBe('config_error');
  });
});

describe('isAfter', () => {
  it('orders by updated_at, then id within a timestamp tie', () => {
    const at = '2026-01-01T00:00:05.000Z';
    expect(isAfter({ updated_at: at, id: 8 }, { updated_at: at, id: 7 })).toBe(true);
    expect(isAfter({ updated_at: at, id: 7 }, { updated_at: at, id: 7 })).toBe(false);
    expect(isAfter({ updated_at: at, id: 1 }, { updated_at: '2026-01-01T00:00:04.000Z', id: 99 })).toBe(true);
    expect(isAfter({ updated_at: '2026-01-01T00:00:04.000Z', id: 99 }, { updated_at: at, id: 1 })).toBe(
      false,
    );
  });
});
