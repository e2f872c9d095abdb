import { launchSourceCli } from '../cli/run-source-cli';
import { SampleSource } from './sample-source';

void launchSourceCli(new SampleSource());
