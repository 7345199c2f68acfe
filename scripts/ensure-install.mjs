// Runs before tsx exists: installs dependencies on a fresh clone so `npm start` and `npm test` are one command.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';

const lock = 'package-lock.json';
const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  console.log('[setup] installing dependencies…');
  try {
    execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
  } catch {
    // Some registry mirrors omit other platforms' optional binaries (@swc/core-darwin-*, …), so
    // the lock lists them without entries and `npm ci` refuses; `npm install` keeps the locked
    // versions and skips what this platform does not need.
    console.log('[setup] npm ci refused the lock file; installing with npm install instead');
    execSync('npm install --no-audit --no-fund', { stdio: 'inherit' });
  }
}
