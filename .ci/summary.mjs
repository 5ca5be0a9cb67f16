// Prints the closing `N passed, N failed` line from vitest's JSON report.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
// The benchmark's exit status, counted as one more check.
const benchStatus = process.argv[3] === undefined ? null : Number(process.argv[3]);
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const benchPassed = benchStatus === 0 ? 1 : 0;
const benchFailed = benchStatus !== null && benchStatus !== 0 ? 1 : 0;
const failed = report.numFailedTests + filesThatFailedToRun(report) + benchFailed;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests + benchPassed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(report.success && failed === 0 ? 0 : 1);

// A test file that fails to load has no failed tests of its own; count it once as a failure.
function filesThatFailedToRun(r) {
  return r.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((a) => a.status === 'failed')).length;
}
