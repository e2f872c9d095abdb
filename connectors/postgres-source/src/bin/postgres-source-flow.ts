#!/usr/bin/env node
import { AirbyteCaptureShim, main, StreamCdkAirbyteDriver } from '@sdk/flow-shim';
import { createPostgresAirbyteSource } from '../postgres-airbyte-source';

// A Flow capture connector: capture requests on stdin, responses on stdout, logs on stderr. Checkpoints
// replace the state (no merge patches): the source's state is merged shallowly, table by table.
main(
  new AirbyteCaptureShim(
    new StreamCdkAirbyteDriver(createPostgresAirbyteSource(), { name: 'postgres-source' }),
    {
      mergePatch: false,
    },
  ),
);
