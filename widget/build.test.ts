import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWidget } from './build.js';

const outDir = mkdtempSync(join(tmpdir(), 'widget-build-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('widget bundle', () => {
  it('builds with Vite into one self-contained es2019 IIFE under 40 KB gzipped', async () => {
    const file = await buildWidget({ outDir });
    const code = readFileSync(file, 'utf8');
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(`[widget] ${file}: ${(code.length / 1024).toFixed(1)} KB minified, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(40 * 1024);
    // Nothing outside the IIFE: a helper or variable there would become a global on the customer's page.
    expect(code.trimEnd()).toMatch(/^\(function\(\)\{"use strict";[\s\S]*\}\)\(\);$/);
    // Minified, and lowered to es2019 (no optional chaining, nullish operators or private fields).
    expect(code).not.toContain('Invariants:');
    expect(code).not.toMatch(/\bclass ChatSession\b/);
    expect(code).not.toMatch(/\?\.[A-Za-z_$([]|\?\?/);
    expect(code).not.toMatch(/[{;]#\w+\s*[=;]/);
    // The shadow-DOM markup and its test ids made it in.
    for (const id of ['sb-launcher', 'sb-panel', 'sb-input', 'sb-send', 'sb-typing', 'sb-prechat', 'sb-message']) expect(code).toContain(id);
  });
});
