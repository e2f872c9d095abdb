#!/usr/bin/env node
// The `sdk-duckdb-sync` command. package.json's bin points at this committed file rather than at the build output,
// so that `pnpm install` on a fresh checkout links the command before anything is built (a bin pointing
// into dist/ fails to link then, with a warning per dependent package).
require('../dist/bin.js');
