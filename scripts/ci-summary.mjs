#!/usr/bin/env node
/**
 * Prints the one line CI reads, `N passed, N failed`, from jest's JSON report. A suite that
 * failed to run (syntax error, setup crash) counts as failed too, so it can never pass silently.
 *   node scripts/ci-summary.mjs results/tmp/jest.json [exit code of the test command]
 */
import { existsSync, readFileSync } from 'node:fs';

const [reportPath, exitCode = '0'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
if (reportPath && existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
  if (report.numPendingTests > 0) console.log(`${report.numPendingTests} tests were skipped`);
}
// The test command failed outside jest (install, type-check, lint, build) or jest crashed.
if (exitCode !== '0' && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
