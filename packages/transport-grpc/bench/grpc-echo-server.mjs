// Ceiling peer: a bare grpc-js bidi stream that echoes each bytes message back, with no protobuf, no
// Arrow and no plugin API: what gRPC for Node itself carries on this machine.
import { createRequire } from 'node:module';
import { reportCpuOnSigterm } from './echo-peer.mjs';
import { echoMethod, unlimitedSizes } from './grpc-echo-method.mjs';

const require = createRequire(import.meta.url);
const { Server, ServerCredentials } = require('@grpc/grpc-js');

const server = new Server(unlimitedSizes);
server.addService(echoMethod, {
  Echo(call) {
    call.on('data', (message) => {
      if (!call.write(message)) {
        call.pause();
        call.once('drain', () => call.resume());
      }
    });
    call.on('end', () => call.end());
  },
});
server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`ListenPort: ${port}\n`);
});
reportCpuOnSigterm();
