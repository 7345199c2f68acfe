import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const MALFORMED_BODIES: unknown[] = [
  '{"unterminated": ',
  'not json at all',
  '[]',
  'null',
  '42',
  {},
  { content: null, email: 123, password: [], widgetKey: {}, until: true, assigneeId: 'x', status: 7, refreshToken: 0, token: null, role: 'god' },
  { content: 'x'.repeat(70_000), email: `${'a'.repeat(300)}@example.com`, name: '', clientMessageId: '../../etc/passwd' },
  { __proto__: { admin: true }, constructor: { prototype: { admin: true } } },
  { content: '\u0000\uFFFF\uD800', clientMessageId: '\u0000'.repeat(10) },
  // Valid everywhere except for a NUL, which PostgreSQL text cannot store.
  { content: 'a\u0000b', clientMessageId: 'abcdefgh12', name: 'x\u0000', workspaceName: 'w\u0000', email: 'nul@example.com', password: 'a long password', widgetKey: 'wk_x' },
];
const PATH_VALUES = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', '%00', "1' OR '1'='1", 'ffffffff-ffff-ffff-ffff-ffffffffffff'];

describe('API fuzzing', () => {
  it('answers every malformed request on every route with a 4xx in the one error shape, never a 5xx', async () => {
    const ws = await h.signup('fuzz');
    const v = await h.visitor(ws.tenant.widgetKey);
    const spec = (await h.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const failures: string[] = [];
    let requests = 0;

    for (const [template, ops] of Object.entries(spec.paths)) {
      for (const method of Object.keys(ops)) {
        const token = template.startsWith('/v1/widget/') ? v.sessionToken : ws.accessToken;
        const paths = template.includes('{') ? PATH_VALUES.map((p) => template.replace(/\{[^}]+\}/g, encodeURIComponent(p))) : [template];
        for (const path of paths) {
          const bodies = method === 'get' ? [undefined] : MALFORMED_BODIES;
          for (const body of bodies) {
            for (const query of ['', '?status=%FF&limit=-1&since=abc&access_token=&token=']) {
              requests++;
              const r = await h.call(method.toUpperCase(), path + query, body, token);
              const label = `${method.toUpperCase()} ${path}${query} ${JSON.stringify(body)?.slice(0, 60)}`;
              if (r.status >= 500) failures.push(`${label} → ${r.status}`);
              else if (r.status >= 400) {
                if (!r.body?.error?.code || !r.body.error.message || !r.body.error.requestId) failures.push(`${label} → ${r.status} without the error shape`);
                if (r.body.error.code === 'validation_failed' && !(r.body.error.fields?.length > 0)) failures.push(`${label} → 400 naming no field`);
              }
            }
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  }, 180_000);
});
