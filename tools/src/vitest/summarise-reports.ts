import fs from 'node:fs/promises';
import path from 'node:path';

/** The parts of vitest's JSON report (Jest-compatible) that the summary reads. */
interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

export interface TestSummary {
  passed: number;
  failed: number;
  skipped: number;
  notes: string[];
  /** `N passed, N failed, N skipped`: the line CI reads. */
  closingLine: string;
}

/**
 * Sums the per-project reports. A project with a test target but no report (its run
 * crashed before reporting) counts as one failure, so a broken setup can never pass
 * as "0 failed".
 */
export async function summariseReports(dir: string, projectsWithTests: readonly string[]): Promise<TestSummary> {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const notes: string[] = [];
  for (const project of projectsWithTests) {
    const file = path.join(dir, `${project}.json`);
    let report: VitestJsonReport;
    try {
      report = JSON.parse(await fs.readFile(file, 'utf8')) as VitestJsonReport;
    } catch {
      failed += 1;
      notes.push(`${project}: no test report (${path.relative(process.cwd(), file)}); counted as one failure.`);
      continue;
    }
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    if (!report.success && report.numFailedTests === 0) {
      failed += 1;
      notes.push(`${project}: the run failed outside any test (setup or an unhandled error); counted as one failure.`);
    }
  }
  return { passed, failed, skipped, notes, closingLine: `${passed} passed, ${failed} failed, ${skipped} skipped` };
}
