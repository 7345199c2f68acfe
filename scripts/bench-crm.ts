/**
 * `npm run bench:crm`: a 100,000-contact CSV import (rows per second, and the worker's memory at
 * rest and while it imports), then contact search over those 100,000 contacts (p50/p95 of the API
 * call: fuzzy names, typos, email prefixes, phone digits). Starts its own servers, API and worker
 * as real processes; the last line is one JSON object.
 *
 *   npm run bench:crm -- --rows 100000 --searches 200
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { withPlatform } from './stack/platform-processes.js';
import { percentile } from './stats.js';

const { values: opts } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, searches: { type: 'string', default: '200' } } });
const ROWS = Number(opts.rows);
const SEARCHES = Number(opts.searches);

const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Lucas', 'Mia', 'Sofia', 'Daan', 'Sem', 'Julia', 'Finn', 'Tess', 'Milan', 'Saar', 'Levi', 'Nora', 'Luuk', 'Anna', 'Bram'];
const LAST = ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'Dekker', 'Brouwer', 'Martin', 'Garcia'];

/** A process and its descendants: tsx runs the script in a child. */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${tree[i]}/task`)) {
        const kids = readFileSync(`/proc/${tree[i]}/task/${task}/children`, 'utf8').trim();
        if (kids) tree.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // Gone already.
    }
  }
  return tree;
}

/** Resident memory (MB) of the largest process in the tree: now (VmRSS) or its peak so far (VmHWM). */
function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  let most = 0;
  for (const p of processTree(pid)) {
    try {
      const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (kb) most = Math.max(most, Number(kb[1]) / 1024);
    } catch {
      // Gone already.
    }
  }
  return Math.round(most);
}

const round = (x: number) => Math.round(x * 10) / 10;

const figures = await withPlatform('bench-crm', { dbMax: 2 }, async ({ call, baseUrl, api, worker }) => {
  const ws = await call('POST', '/v1/auth/signup', { workspaceName: 'bench crm', name: 'Bench', email: `bench-crm-${Date.now()}@example.com`, password: 'a long password' });
  const auth = { authorization: `Bearer ${ws.accessToken}` };
  const lines = ['name,email,phone,company,plan'];
  for (let i = 0; i < ROWS; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
    lines.push(`"${name}",user${i}@example.com,+3161${String(i).padStart(7, '0')},Company ${i % 997},${i % 3 ? 'free' : 'pro'}`);
  }
  const csv = lines.join('\n');

  /** Uploads a CSV and runs its import to the end, calling `tick` while it runs. */
  const importCsv = async (text: string, tick: () => void = () => {}) => {
    const res = await fetch(`${baseUrl}/v1/contacts/imports`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: text });
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    const { import: imp } = (await res.json()) as { import: { id: string } };
    const started = performance.now();
    await call('POST', `/v1/contacts/imports/${imp.id}/start`, { mapping: { name: 'name', email: 'email', phone: 'phone', company: 'attributes.company', plan: 'attributes.plan' } }, ws.accessToken);
    for (;;) {
      const { import: state } = await call('GET', `/v1/contacts/imports/${imp.id}`, undefined, ws.accessToken);
      if (state.status === 'done' || state.status === 'failed') return { state: state as { status: string; created: number; rowsDone: number }, ms: performance.now() - started };
      tick();
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // A small import first shows the worker is running (connected, its workflow bundle loaded), so
  // what the big one adds is measured against the worker at rest.
  await importCsv(`name,email,phone,company,plan\nWarm Up,warm-up@example.net,+31201234567,Warm,free`);
  const workerAtRestMb = memoryMb(worker.child.pid!, 'VmRSS');
  let workerDuringImportMb = workerAtRestMb;
  const uploadStarted = performance.now();
  const { state: done, ms: importMs } = await importCsv(csv, () => {
    workerDuringImportMb = Math.max(workerDuringImportMb, memoryMb(worker.child.pid!, 'VmRSS'));
  });
  const uploadMs = performance.now() - uploadStarted - importMs;
  if (done.status !== 'done' || done.created !== ROWS) throw new Error(`the import did not create every row: ${JSON.stringify(done)}`);

  const terms = (i: number) => {
    const k = i % 4;
    if (k === 0) return `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    if (k === 1) return LAST[(i * 3) % LAST.length].replace(/e/, '');
    if (k === 2) return `user${(i * 7919) % ROWS}@`;
    // The national part of one contact's number (+31 61 xxxxxxx).
    return `61${String((i * 7919) % ROWS).padStart(7, '0')}`;
  };
  for (let i = 0; i < 20; i++) await call('GET', `/v1/contacts?q=${encodeURIComponent(terms(i))}&limit=20`, undefined, ws.accessToken);
  const latencies: number[] = [];
  const KINDS = ['full_name', 'name_with_typo', 'email_prefix', 'phone_digits'] as const;
  const byKind = Object.fromEntries(KINDS.map((k) => [k, [] as number[]]));
  let found = 0;
  for (let i = 0; i < SEARCHES; i++) {
    const t = performance.now();
    const r = await call('GET', `/v1/contacts?q=${encodeURIComponent(terms(i))}&limit=20`, undefined, ws.accessToken);
    latencies.push(performance.now() - t);
    byKind[KINDS[i % 4]].push(performance.now() - t);
    if (r.contacts.length) found++;
  }
  return {
    rows: ROWS,
    import_rows_per_second: Math.round(ROWS / (importMs / 1000)),
    import_seconds: round(importMs / 1000),
    upload_seconds: round(uploadMs / 1000),
    // Resident memory, sampled every 50 ms while the import ran, and at rest before it.
    worker_peak_mb_during_import: workerDuringImportMb,
    worker_at_rest_mb: workerAtRestMb,
    import_added_mb: workerDuringImportMb - workerAtRestMb,
    // Including the worker's start and the API's receiving the upload.
    worker_peak_mb_since_start: memoryMb(worker.child.pid!, 'VmHWM'),
    api_peak_mb: memoryMb(api.child.pid!, 'VmHWM'),
    search_p50_ms: round(percentile(latencies, 50)),
    search_p95_ms: round(percentile(latencies, 95)),
    search_p95_ms_by_kind: Object.fromEntries(KINDS.map((k) => [k, round(percentile(byKind[k], 95))])),
    searches: SEARCHES,
    searches_with_results: found,
    goals: { import_rows_per_second: 5000, peak_mb: 300, search_p95_ms: 50 },
  };
});
console.log(JSON.stringify(figures));
