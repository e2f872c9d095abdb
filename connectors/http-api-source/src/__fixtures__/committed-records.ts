import type { AirbyteMessage, JsonObject } from '@sdk/stream-cdk';

/**
 * What an Airbyte destination keeps of a run: per stream, the records followed by a later STATE of
 * that stream. Records after a stream's last STATE are lost with the process that read them.
 */
export function committedRecords(messages: readonly AirbyteMessage[]): Map<string, JsonObject[]> {
  const committed = new Map<string, JsonObject[]>();
  const pending = new Map<string, JsonObject[]>();
  for (const message of messages) {
    if (message.type === 'RECORD') {
      const list = pending.get(message.record.stream) ?? [];
      list.push(message.record.data);
      pending.set(message.record.stream, list);
    } else if (message.type === 'STATE') {
      const name = message.state.stream?.stream_descriptor.name ?? '';
      committed.set(name, [...(committed.get(name) ?? []), ...(pending.get(name) ?? [])]);
      pending.set(name, []);
    }
  }
  return committed;
}
