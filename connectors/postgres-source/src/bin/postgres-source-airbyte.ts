#!/usr/bin/env node
import { launchSourceCli } from '@sdk/stream-cdk';
import { createPostgresAirbyteSource } from '../postgres-airbyte-source';

// `postgres-source-airbyte spec | check --config c.json | discover --config c.json |
//  read --config c.json --catalog cat.json [--state s.json]`
void launchSourceCli(createPostgresAirbyteSource());
