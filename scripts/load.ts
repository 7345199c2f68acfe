import { Agent, request } from 'node:http';
import { percentile } from './stats.js';

const pct = (xs: number[], p: number) => Math.round(percentile(xs, p) * 100) / 100;
export const latencySummary = (lat: number[]) => ({ p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: pct(lat, 100) });

/** Fires `n` calls at a fixed rate regardless of how fast earlier ones return (open loop). */
export async function openLoop(n: number, rate: number, call: (i: number) => Promise<void>) {
  const lat: number[] = [];
  let errors = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inflight.push(call(i).then(() => void lat.push(performance.now() - t0), () => void errors++));
  }
  await Promise.all(inflight);
  return { latencyMs: latencySummary(lat), errors, achievedRate: Math.round((n / ((performance.now() - start) / 1000)) * 10) / 10 };
}

/** Keeps `c` calls in flight until `n` are done (closed loop): the throughput ceiling. */
export async function closedLoop(n: number, c: number, call: (i: number) => Promise<void>) {
  let next = 0;
  let errors = 0;
  const lat: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next < n) {
        const i = next++;
        const t0 = performance.now();
        try {
          await call(i);
          lat.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { throughputPerSec: Math.round((n / seconds) * 10) / 10, latencyMs: latencySummary(lat), errors };
}

/**
 * POSTs over node:http with keep-alive: fetch costs the load generator several times more CPU per
 * request, and on 2 shared cores that would be measured as the API's cost. Rejects on a status of
 * 300 or more; resolves with the body text.
 */
export function keepAlivePoster(base: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  const post = (path: string, body: string, headers: Record<string, string>) =>
    new Promise<string>((resolve, reject) => {
      const req = request(`${base}${path}`, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => ((res.statusCode ?? 500) >= 300 ? reject(new Error(`${path} → ${res.statusCode} ${text}`)) : resolve(text)));
      });
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}
