import { createServer } from 'nice-grpc';
import {
  type ControlInMessage,
  type ControlOutMessage,
  type RecordTransferInMessage,
  type RecordTransferOutMessage,
  sdkToolV2Definition,
  unlimitedMessageSizeOptions,
} from '../internal/service-definition.js';

/**
 * A hand-driven plugin for wire-level tests of the engine side: after the engine's initialization it
 * sends exactly the RecordTransfer messages the test gives (including ones our plugin API would
 * refuse to send), then ends the call and confirms completion when the engine notifies it.
 */
export async function startRawPluginServer(recordMessages: readonly RecordTransferOutMessage[]) {
  let initialized!: () => void;
  const initialization = new Promise<void>((resolve) => {
    initialized = resolve;
  });
  const server = createServer({ ...unlimitedMessageSizeOptions });
  server.add(sdkToolV2Definition, {
    async *control(requests: AsyncIterable<ControlInMessage>): AsyncIterable<ControlOutMessage> {
      for await (const message of requests) {
        if (message.pluginInitializationData) initialized();
        if (message.notifyComplete) {
          yield { confirmComplete: {} };
          return;
        }
      }
    },
    async *recordTransfer(
      requests: AsyncIterable<RecordTransferInMessage>,
    ): AsyncIterable<RecordTransferOutMessage> {
      await initialization;
      // Drain what the engine sends so that its side never waits on flow control.
      void (async () => {
        for await (const _message of requests) {
          // ignored
        }
      })().catch(() => undefined);
      yield* recordMessages;
    },
  });
  const port = await server.listen('127.0.0.1:0');
  return { address: `127.0.0.1:${port}`, close: () => server.forceShutdown() };
}
