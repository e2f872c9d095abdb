import type { JsonObject } from '../protocol/airbyte-protocol';

/**
 * A stream that owns its state: the CDK assigns the incoming state through the setter before reading
 * (even `{}`), and reads the getter after every page or slice (and at checkpoint intervals). Implement
 * it with a `get state()` / `set state()` accessor pair on the stream class.
 *
 * For a stream without a cursor field this makes it a resumable full refresh stream: set `state` to
 * the next page token after each page, and to `{}` (or the completion sentinel) after the last one.
 */
export interface CheckpointMixin {
  get state(): JsonObject;
  set state(value: JsonObject);
}

/** The design's name for {@link CheckpointMixin}. Same contract. */
export type StateMixin = CheckpointMixin;

/**
 * Older name for {@link CheckpointMixin}.
 * @deprecated Use `CheckpointMixin` (the name the Python CDK shipped in 0.87.0).
 */
export type IncrementalMixin = CheckpointMixin;

/**
 * True when `stream` implements {@link CheckpointMixin}: its class (or a base class) defines a
 * `state` accessor with a setter. A plain `state` field does not count, so that an unrelated field
 * named `state` never changes how a stream checkpoints.
 */
export function hasCheckpointState(stream: object): stream is CheckpointMixin {
  let prototype: object | null = Object.getPrototypeOf(stream);
  while (prototype !== null && prototype !== Object.prototype) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, 'state');
    if (descriptor !== undefined) return typeof descriptor.set === 'function';
    prototype = Object.getPrototypeOf(prototype);
  }
  return false;
}
