import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** One thing the server sent, in the order its bytes arrived at the proxy. */
export type ServerWireEvent =
  | {
      readonly kind: 'message';
      readonly connection: number;
      readonly streamId: number;
      readonly bytes: Buffer;
    }
  | { readonly kind: 'end-stream'; readonly connection: number; readonly streamId: number }
  | { readonly kind: 'reset'; readonly connection: number; readonly streamId: number };

const frameHeaderBytes = 9;
const frameData = 0x0;
const frameHeaders = 0x1;
const frameRstStream = 0x3;
const flagEndStream = 0x1;
const flagPadded = 0x8;

/**
 * Parses the server-to-client half of an HTTP/2 connection: every complete gRPC message (at the DATA
 * frame that completes it), every END_STREAM (a status: trailers or a Trailers-Only response) and every
 * RST_STREAM, in wire order. HPACK is not decoded: which stream is which is told by what it carries.
 */
class ServerFrameParser {
  private pending: Buffer = Buffer.alloc(0);
  private readonly messageBytes = new Map<number, Buffer>();

  constructor(
    private readonly connection: number,
    private readonly events: ServerWireEvent[],
  ) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= frameHeaderBytes) {
      const length = this.pending.readUIntBE(0, 3);
      if (this.pending.length < frameHeaderBytes + length) return;
      const type = this.pending[3] as number;
      const flags = this.pending[4] as number;
      const streamId = this.pending.readUInt32BE(5) & 0x7fffffff;
      const payload = this.pending.subarray(frameHeaderBytes, frameHeaderBytes + length);
      this.pending = this.pending.subarray(frameHeaderBytes + length);
      if (type === frameData) this.data(streamId, flags, payload);
      if ((type === frameData || type === frameHeaders) && (flags & flagEndStream) !== 0) {
        this.events.push({ kind: 'end-stream', connection: this.connection, streamId });
      }
      if (type === frameRstStream) this.events.push({ kind: 'reset', connection: this.connection, streamId });
    }
  }

  private data(streamId: number, flags: number, framePayload: Buffer): void {
    let payload = framePayload;
    if ((flags & flagPadded) !== 0) {
      const padding = payload[0] as number;
      payload = payload.subarray(1, payload.length - padding);
    }
    let buffered = Buffer.concat([this.messageBytes.get(streamId) ?? Buffer.alloc(0), payload]);
    // gRPC length-prefixed messages: 1 byte compressed flag, 4 bytes length, then the message.
    while (buffered.length >= 5 && buffered.length >= 5 + buffered.readUInt32BE(1)) {
      const end = 5 + buffered.readUInt32BE(1);
      this.events.push({
        kind: 'message',
        connection: this.connection,
        streamId,
        bytes: Buffer.from(buffered.subarray(5, end)),
      });
      buffered = buffered.subarray(end);
    }
    this.messageBytes.set(streamId, buffered);
  }
}

/** A TCP proxy on 127.0.0.1:0 in front of a plaintext HTTP/2 server, recording what the server sends. */
export interface Http2FrameRecorder {
  /** The proxy's port: connect the client here. */
  readonly port: number;
  /** What the server sent, in arrival order. */
  readonly events: readonly ServerWireEvent[];
  /** Closes the proxy and every connection through it. */
  close(): Promise<void>;
}

/** Starts a recording proxy to `127.0.0.1:targetPort`. */
export async function startHttp2FrameRecorder(targetPort: number): Promise<Http2FrameRecorder> {
  const events: ServerWireEvent[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    const connection = connections;
    connections += 1;
    const parser = new ServerFrameParser(connection, events);
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      parser.push(chunk);
      client.write(chunk);
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
  return {
    port: address.port,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
