#!/usr/bin/env node
// A deliberately broken Flow connector for the fake runtime's own tests. MODE picks the fault.
const mode = process.env.MODE;
const write = (value) =>
  process.stdout.write(typeof value === 'string' ? value : `${JSON.stringify(value)}\n`);
// Drain stdin; the faults below happen once the runtime closes it (unary RPCs).
process.stdin.resume();
process.stdin.on('end', () => {
  if (mode === 'two-specs') {
    write({ spec: { protocol: 3032023 } });
    write({ spec: { protocol: 3032023 } });
  } else if (mode === 'wrong-protocol') {
    write({ spec: { protocol: 1 } });
  } else if (mode === 'discovered-for-spec') {
    write({ discovered: { bindings: [] } });
  } else if (mode === 'duplicate-paths') {
    write({ validated: { bindings: [{ resourcePath: ['a'] }, { resourcePath: ['a'] }] } });
  } else if (mode === 'silent-failure') {
    process.stderr.write('{"level":"error","msg":"could not reach the API"}\n');
    process.exit(2);
  }
});
if (mode === 'unknown-field' || mode === 'captured-first' || mode === 'partial-line') {
  if (mode === 'unknown-field') {
    write({ opened: {} });
    write({ captured: { binding: 0, doc: { a: 1 }, type: 'document' } });
  } else if (mode === 'captured-first') {
    write({ captured: { binding: 0, doc: { a: 1 } } });
  } else {
    write({ opened: {} });
    write('{"captured":{"binding":0,"doc":');
  }
  process.exit(0);
}
