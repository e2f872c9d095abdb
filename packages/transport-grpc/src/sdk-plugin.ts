import type { Table } from 'apache-arrow';
import type { Anchor } from './anchor.js';
import type { PluginProvider } from './plugin-provider.js';

/**
 * What a plugin author implements (`PluginV2`). Every callback is optional and may be async; the
 * transport calls them one at a time, in order, and waits for each to settle. A callback that throws
 * (or rejects) ends the run with a `TRANSPORT_PLUGIN_FAILED` error on the engine side.
 */
export interface SdkPlugin {
  /**
   * Called once, right after the constructor, in every mode, including update-only mode (a metadata
   * refresh). The place for asynchronous set-up that the constructor cannot await: decrypting secrets
   * with `provider.io.decryptPassword`, reading a remote schema, then `provider.pushOutgoingMetadata`.
   * Records, connection callbacks and completion wait until it settles; in update-only mode the session
   * confirms once it has. (The AMP Python SDK does such work in a blocking `__init__`.)
   */
  onInit?(): void | Promise<void>;
  /** Called once per completed Arrow IPC stream of a connection, in arrival order per connection. */
  onRecordBatch?(table: Table, anchor: Anchor): void | Promise<void>;
  /**
   * Called once per connection, after its last `onRecordBatch`: when the engine completes it, or at the
   * engine's `notify_complete` for a connection it never completed (every connection still open is
   * completed then, before `onComplete`). Repeated completions call it once.
   */
  onIncomingConnectionComplete?(anchor: Anchor): void | Promise<void>;
  /**
   * Called once, after the engine's `notify_complete` and every connection's
   * `onIncomingConnectionComplete` (at once for tools without inputs), as the AMP SDK calls `on_complete`
   * whatever connections the engine completed.
   */
  onComplete?(): void | Promise<void>;
}

/**
 * A plugin class. The constructor (and then `onInit`) runs in every mode, including update-only mode,
 * so they are the place to declare outgoing metadata with `provider.pushOutgoingMetadata`.
 */
export type SdkPluginClass = new (provider: PluginProvider) => SdkPlugin;
