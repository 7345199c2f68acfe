/**
 * `npm run bench:crm`: a 100,000-contact CSV import (rows per second, and the peak memory of the
 * worker and API processes), then contact search over those 100,000 contacts (p50/p95 of the API
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

/** Peak resident memory (VmHWM, MB) of a process and its descendants: tsx runs the script in a child. */
function peakMb(pid: number): number {
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
  let peak = 0;
  for (const p of tree) {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch {
      // Gone already.
    }
  }
  return Math.round(peak);
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
  const uploadStarted = performance.now();
  const res = await fetch(`${baseUrl}/v1/contacts/imports`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  const { import: imp } = (await res.json()) as { import: { id: string } };
  const uploadMs = performance.now() - uploadStarted;
  const started = performance.now();
  await call('POST', `/v1/contacts/imports/${imp.id}/start`, { mapping: { name: 'name', email: 'email', phone: 'phone', company: 'attributes.company', plan: 'attributes.plan' } }, ws.accessToken);
  let done: { status: string; created: number; failed: number; rowsDone: number } | undefined;
  for (;;) {
    done = (await call('GET', `/v1/contacts/imports/${imp.id}`, undefined, ws.accessToken)).import;
    if (done!.status === 'done' || done!.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const importMs = performance.now() - started;
  if (done!.status !== 'done' || done!.created !== ROWS) throw new Error(`the import did not create every row: ${JSON.stringify(done)}`);

  const terms = (i: number) => {
    const k = i % 4;
    if (k === 0) return `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    if (k === 1) return LAST[(i * 3) % LAST.length].replace(/e/, '');
    if (k === 2) return `user${(i * 7919) % ROWS}@`;
    return `612${String((i * 31) % 10000).padStart(4, '0')}`;
  };
  for (let i = 0; i < 20; i++) await call('GET', `/v1/contacts?q=${encodeURIComponent(terms(i))}&limit=20`, undefined, ws.accessToken);
  const latencies: number[] = [];
  let found = 0;
  for (let i = 0; i < SEARCHES; i++) {
    const t = performance.now();
    const r = await call('GET', `/v1/contacts?q=${encodeURIComponent(terms(i))}&limit=20`, undefined, ws.accessToken);
    latencies.push(performance.now() - t);
    if (r.contacts.length) found++;
  }
  return {
    rows: ROWS,
    import_rows_per_second: Math.round(ROWS / (importMs / 1000)),
    import_seconds: round(importMs / 1000),
    upload_seconds: round(uploadMs / 1000),
    worker_peak_mb: peakMb(worker.child.pid!),
    api_peak_mb: peakMb(api.child.pid!),
    search_p50_ms: round(percentile(latencies, 50)),
    search_p95_ms: round(percentile(latencies, 95)),
    searches: SEARCHES,
    searches_with_results: found,
    goals: { import_rows_per_second: 5000, peak_mb: 300, search_p95_ms: 50 },
  };
});
console.log(JSON.stringify(figures));
