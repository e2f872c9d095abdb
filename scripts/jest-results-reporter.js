// A jest reporter that records one package's test counts in <rootDir>/.jest-results.json.
// scripts/check.mjs adds these files up into the single closing line CI reads.
const fs = require('node:fs');
const path = require('node:path');
const { stripVTControlCharacters } = require('node:util');

/**
 * The gist of a failure message: its first lines before the stack (the assertion, Expected and
 * Received), without colour codes, on one line of at most 400 characters.
 */
function gist(message) {
  const plain = stripVTControlCharacters(String(message ?? ''));
  const lines = [];
  for (const line of plain.split('\n')) {
    const text = line.trim();
    if (text.startsWith('at ')) break;
    if (text !== '') lines.push(text);
    if (lines.length === 4) break;
  }
  return lines.join(' | ').slice(0, 400);
}

class JestResultsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      suites: results.numTotalTestSuites,
      failedSuites: results.testResults
        .filter((suite) => suite.numFailingTests > 0 || suite.testExecError)
        .map((suite) => path.relative(this.rootDir, suite.testFilePath)),
      // What failed, in a line each, so that a CI log's summary names the test and why without the
      // full jest output (which may be cut off).
      failures: results.testResults.flatMap((suite) => {
        const file = path.relative(this.rootDir, suite.testFilePath);
        if (suite.testExecError) return [`${file}: ${gist(suite.testExecError.message)}`];
        return suite.testResults
          .filter((test) => test.status === 'failed')
          .map((test) => `${file} › ${test.fullName}: ${gist(test.failureMessages.join('\n'))}`);
      }),
    };
    fs.writeFileSync(path.join(this.rootDir, '.jest-results.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
}

module.exports = JestResultsReporter;
