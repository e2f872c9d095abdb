import { launchSourceCli } from '@sdk/stream-cdk';
import { EdgeSource } from './edge-source';

void launchSourceCli(new EdgeSource());
