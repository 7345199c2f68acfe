/**
 * `npm test`: obtains the native tools, then type-checks, lints and runs every test (unit and
 * integration) against real Temporal, PostgreSQL and FerretDB servers started by the global setup.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { ensureFerretDb, ensureTemporalCli } from './stack/tools.js';

const args = process.argv.slice(2);
const run = (cmd: string, cmdArgs: string[]) => spawnSync(cmd, cmdArgs, { stdio: 'inherit' }).status ?? 1;

if (!process.env.TEST_TEMPORAL_ADDRESS) ensureTemporalCli();
if (!process.env.TEST_MONGODB_URL) ensureFerretDb();
// The widget is built by the integration tests' global setup (scripts/testing/global-setup.ts).

let failedSteps = 0;
if (args.length === 0) {
  for (const [label, cmd, cmdArgs] of [
    ['typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']],
    ['typecheck web', 'npx', ['tsc', '--noEmit', '-p', 'web/tsconfig.json']],
    ['lint', 'npx', ['eslint', '.']],
  ] as const) {
    console.log(`\n[test] ${label}`);
    if (run(cmd, [...cmdArgs]) !== 0) {
      console.error(`[test] ${label} failed`);
      failedSteps++;
    }
  }
}

mkdirSync('.data', { recursive: true });
const report = '.data/vitest-report.json';
const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  skipped = r.numPendingTests + r.numTodoTests;
}
if (status !== 0 && failed === 0) failed = 1;
failed += failedSteps;
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
