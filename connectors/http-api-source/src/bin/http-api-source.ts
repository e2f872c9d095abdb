#!/usr/bin/env node
import { launchSourceCli } from '@sdk/stream-cdk';
import { HttpApiSource } from '../http-api-source';

// `http-api-source spec | check --config c.json | discover --config c.json |
//  read --config c.json --catalog cat.json [--state s.json] [--debug]`
void launchSourceCli(new HttpApiSource());
