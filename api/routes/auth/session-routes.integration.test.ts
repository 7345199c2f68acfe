import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from 'hono/jwt';
import { startHarness, type Harness } from '../../../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

describe('signup and login', () => {
  it('creates a workspace with its owner, and logs in', async () => {
    const ws = await h.signup('auth');
    expect(ws.user).toMatchObject({ role: 'owner', tenantId: ws.tenant.id });
    expect(ws.tenant.widgetKey).toMatch(/^wk_/);
    const login = await h.call('POST', '/v1/auth/login', { email: ws.email.toUpperCase(), password: ws.password });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(ws.user.id);
    const me = await h.call('GET', '/v1/me', undefined, login.body.accessToken);
    expect(me.body.tenant.id).toBe(ws.tenant.id);
  });

  it('refuses a taken email, bad input and wrong passwords with errors that name the field', async () => {
    const ws = await h.signup('dup');
    const dup = await h.call('POST', '/v1/auth/signup', { workspaceName: 'x', name: 'x', email: ws.email, password: 'another long password' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields[0].field).toBe('email');

    const bad = await h.call('POST', '/v1/auth/signup', { workspaceName: '', name: 'n', email: 'nope', password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.fields.map((f: any) => f.field).sort()).toEqual(['email', 'password', 'workspaceName']);
    expect(bad.body.error.requestId).toBeTruthy();

    const wrong = await h.call('POST', '/v1/auth/login', { email: ws.email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    const nobody = await h.call('POST', '/v1/auth/login', { email: 'nobody@example.com', password: 'whatever it is' });
    expect(nobody.status).toBe(401);
    expect(nobody.body.error.message).toBe(wrong.body.error.message);
  });

  it('rotates refresh tokens, and a reused token revokes the whole chain', async () => {
    const ws = await h.signup('rotate');
    const first = await h.call('POST', '/v1/auth/refresh', { refreshToken: ws.refreshToken });
    expect(first.status).toBe(200);
    const second = await h.call('POST', '/v1/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);

    const replay = await h.call('POST', '/v1/auth/refresh', { refreshToken: ws.refreshToken });
    expect(replay.status).toBe(401);
    // The thief's replay also kills the legitimate holder's newest token.
    const afterReplay = await h.call('POST', '/v1/auth/refresh', { refreshToken: second.body.refreshToken });
    expect(afterReplay.status).toBe(401);
  });

  it('lets only one of two simultaneous uses of a refresh token through, and then revokes the chain', async () => {
    const ws = await h.signup('race');
    const both = await Promise.all([1, 2].map(() => h.call('POST', '/v1/auth/refresh', { refreshToken: ws.refreshToken })));
    const winners = both.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(both.filter((r) => r.status === 401)).toHaveLength(1);
    // The reuse was detected, so even the winner's successor token no longer works.
    expect((await h.call('POST', '/v1/auth/refresh', { refreshToken: winners[0].body.refreshToken })).status).toBe(401);
  });

  it('answers two simultaneous signups with one email with one 201 and one 409 naming email', async () => {
    const email = `same-${Date.now()}@example.com`;
    const body = { workspaceName: 'w', name: 'n', email, password: 'a long password' };
    const both = await Promise.all([1, 2, 3].map(() => h.call('POST', '/v1/auth/signup', body)));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(both.find((r) => r.status === 409)!.body.error.fields[0].field).toBe('email');
  });

  it('logs out by revoking the refresh chain', async () => {
    const ws = await h.signup('logout');
    expect((await h.call('POST', '/v1/auth/logout', { refreshToken: ws.refreshToken })).status).toBe(204);
    expect((await h.call('POST', '/v1/auth/refresh', { refreshToken: ws.refreshToken })).status).toBe(401);
  });

  it('accepts only HS256 access tokens signed with its secret', async () => {
    const ws = await h.signup('jwt');
    const now = Math.floor(Date.now() / 1000);
    const claims = { typ: 'access', sub: ws.user.id, tid: ws.tenant.id, role: 'owner', iat: now, exp: now + 60 };
    const forged = await sign(claims, 'some-other-secret-some-other-secret', 'HS256');
    expect((await h.call('GET', '/v1/me', undefined, forged)).status).toBe(401);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    expect((await h.call('GET', '/v1/me', undefined, none)).status).toBe(401);
    const hs512 = await sign(claims, h.config.JWT_SECRET, 'HS512');
    expect((await h.call('GET', '/v1/me', undefined, hs512)).status).toBe(401);
    const expired = await sign({ ...claims, exp: now - 10 }, h.config.JWT_SECRET, 'HS256');
    expect((await h.call('GET', '/v1/me', undefined, expired)).status).toBe(401);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once the auth limit is spent', async () => {
    const limited = await startHarness({ worker: false, config: { AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.call('POST', '/v1/auth/login', { email: 'a@example.com', password: 'whatever' })).status);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      const blocked = await limited.call('POST', '/v1/auth/login', { email: 'a@example.com', password: 'whatever' });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe('rate_limited');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe('edge', () => {
  it('sets secure headers and a request id, and limits body size', async () => {
    const r = await h.call('GET', '/health');
    expect(r.headers.get('x-request-id')).toBeTruthy();
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const big = await h.call('POST', '/v1/auth/login', { email: 'a@example.com', password: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });

  it('allows CORS only from the configured origins', async () => {
    const ok = await h.app.request('/v1/me', { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const evil = await h.app.request('/v1/me', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('reports every dependency on /health and serves OpenAPI and its docs page', async () => {
    const health = await h.call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.checks).toMatchObject({ postgres: { status: 'ok' }, temporal: { status: 'ok' }, mongo: { status: 'ok' } });
    const spec = await h.call('GET', '/openapi.json');
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/v1/auth/signup', '/v1/conversations/{id}/take-over', '/v1/widget/messages']));
    const docs = await h.app.request('/docs');
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    expect((await h.app.request('/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
    const script = await h.app.request('/widget.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    const demo = await (await h.app.request('http://localhost:8000/widget/demo?key=wk_some_key')).text();
    expect(demo).toContain('data-key="wk_some_key"');
    expect(demo).toContain('http://localhost:8000');
    expect(demo).not.toContain('{{');
    const missing = await h.call('GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});
