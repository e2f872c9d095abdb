/**
 * One incoming connection (or outgoing anchor) as the plugin sees it: the AMP SDK's
 * `Anchor(name, connection)` tuple. Frozen; `connection` is `""` for outgoing anchors.
 */
export interface Anchor {
  /** Anchor name from the tool configuration, e.g. `"Input"`. */
  readonly name: string;
  /** Connection name within the anchor, e.g. `"#1"`. */
  readonly connection: string;
}

/** Builds a frozen {@link Anchor}. */
export function createAnchor(name: string, connection: string): Anchor {
  return Object.freeze({ name, connection });
}
