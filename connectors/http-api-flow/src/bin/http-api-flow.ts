#!/usr/bin/env node
import { main } from '@sdk/flow-shim';
import { createHttpApiCapture } from '../http-api-capture';

// A Flow capture connector: capture requests on stdin, responses on stdout (JSON codec), logs on stderr.
main(createHttpApiCapture());
