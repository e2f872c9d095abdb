import type { JsonObject } from '../protocol/airbyte-protocol';

/**
 * State emitted when a resumable full refresh stream has read its last page (the upstream value since
 * airbytehq/airbyte#38608). Seeing it as incoming state means "this stream already finished in an
 * earlier attempt of the same job": the stream is not read again. Returns a fresh object each call.
 */
export function fullRefreshCompleteState(): JsonObject {
  return { __ab_full_refresh_sync_complete: true };
}

/** State emitted once at the end of a non-resumable full refresh stream. Fresh object each call. */
export function noCursorState(): JsonObject {
  return { __ab_no_cursor_state_message: true };
}

/** True for `{"__ab_full_refresh_sync_complete": true}` (extra keys are not allowed). */
export function isFullRefreshCompleteState(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (value as JsonObject).__ab_full_refresh_sync_complete === true;
}

/** True for `{"__ab_no_cursor_state_message": true}`. */
export function isNoCursorState(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (value as JsonObject).__ab_no_cursor_state_message === true;
}

/** True for null, undefined and `{}`. */
export function isEmptyState(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  return typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}
