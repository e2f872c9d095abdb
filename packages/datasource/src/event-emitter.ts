/** A handler for one named event. */
export type EventHandler<Data> = (data: Data) => void;
/** A `*` handler: receives every event with its name, before the named handlers run. */
export type WildcardEventHandler = (name: string, data: unknown) => void;

/**
 * Panoply's tiny synchronous emitter. `on()` is chainable and registering the same function twice for
 * the same name has no effect. `fire()` calls every `*` handler with `(name, data)` first, then the
 * handlers for that name with `(data)`, in registration order. Handlers run synchronously and their
 * exceptions reach the caller of `fire()`, as in Panoply.
 */
export class EventEmitter<EventMap extends object> {
  readonly #handlers = new Map<string, Set<(...args: never[]) => void>>();

  /** Subscribes `handler` to `name`, or to every event with `'*'`. Returns `this`. */
  on(name: '*', handler: WildcardEventHandler): this;
  on<Name extends keyof EventMap & string>(name: Name, handler: EventHandler<EventMap[Name]>): this;
  on(name: string, handler: (...args: never[]) => void): this {
    let handlers = this.#handlers.get(name);
    if (handlers === undefined) {
      handlers = new Set();
      this.#handlers.set(name, handlers);
    }
    handlers.add(handler);
    return this;
  }

  /** Removes `handler` from `name`. Returns `this`. */
  off(name: '*', handler: WildcardEventHandler): this;
  off<Name extends keyof EventMap & string>(name: Name, handler: EventHandler<EventMap[Name]>): this;
  off(name: string, handler: (...args: never[]) => void): this {
    this.#handlers.get(name)?.delete(handler);
    return this;
  }

  /** Calls the `*` handlers, then the handlers of `name`. Returns `this`. */
  fire<Name extends keyof EventMap & string>(name: Name, data: EventMap[Name]): this {
    // Copies so that a handler subscribing or unsubscribing during fire() does not change this round.
    for (const handler of [...(this.#handlers.get('*') ?? [])]) {
      (handler as WildcardEventHandler)(name, data);
    }
    if (name !== '*') {
      for (const handler of [...(this.#handlers.get(name) ?? [])]) {
        (handler as EventHandler<EventMap[Name]>)(data);
      }
    }
    return this;
  }
}
