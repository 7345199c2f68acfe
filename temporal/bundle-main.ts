/**
 * Writes the workflow bundle to a file: `tsx temporal/bundle-main.ts <path>`. A worker given it
 * (WORKFLOW_BUNDLE_PATH) starts without webpack, whose ~100 MB it would otherwise keep for life.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflows } from './worker.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: tsx temporal/bundle-main.ts <output path>');
  process.exit(2);
}
const { code } = await bundleWorkflows();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);
console.log(`[bundle] workflows → ${out} (${Math.round(code.length / 1024)} KB)`);
