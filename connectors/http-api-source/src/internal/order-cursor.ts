import type { JsonObject } from '@sdk/stream-cdk';
import { InvalidStateError } from '../errors/invalid-state-error';

/**
 * Position of the `orders` stream: the last order read, by the API's keyset order
 * (`updated_at`, then `id`). Resuming after exactly this pair loses nothing and repeats nothing,
 * even when many orders share one `updated_at`.
 */
export interface OrderCursor {
  updated_at: string;
  id: number;
}

/**
 * Reads an incoming `orders` state: `{}` (start over), `{updated_at, id}`, or `{updated_at}` alone
 * (a state written by a cursor-only connector: resumes at that timestamp, re-reading its ties).
 * Anything else is an {@link InvalidStateError}.
 */
export function parseOrderCursor(state: JsonObject): OrderCursor | undefined {
  if (Object.keys(state).length === 0) return undefined;
  const { updated_at: updatedAt, id } = state;
  if (typeof updatedAt !== 'string' || Number.isNaN(Date.parse(updatedAt))) {
    throw new InvalidStateError('orders state needs "updated_at" as an ISO-8601 timestamp string');
  }
  if (id !== undefined && (typeof id !== 'number' || !Number.isInteger(id) || id < 0)) {
    throw new InvalidStateError('orders state "id" must be a non-negative integer when present');
  }
  return { updated_at: updatedAt, id: id ?? 0 };
}

/** True when order `a` comes after `b` in keyset order. */
export function isAfter(a: OrderCursor, b: OrderCursor): boolean {
  return a.updated_at > b.updated_at || (a.updated_at === b.updated_at && a.id > b.id);
}
