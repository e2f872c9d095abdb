// A jest reporter that records one package's test counts in <rootDir>/.jest-results.json.
// scripts/check.mjs adds these files up into the single closing line CI reads.
const fs = require('node:fs');
const path = require('node:path');

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
    };
    fs.writeFileSync(path.join(this.rootDir, '.jest-results.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
}

module.exports = JestResultsReporter;
