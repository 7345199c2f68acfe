import { createHash, randomBytes } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { AppError } from '../errors.js';
import { ROLES, type Principal, type Role } from './principal.js';

// The algorithm is pinned on both sides: a token claiming another `alg` (or none) is rejected.
const ALG = 'HS256';

export interface WidgetPrincipal {
  tenantId: string;
  contactId: string;
  visitorId: string;
}

export async function signAccessToken(p: Principal, secret: string, ttlSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign({ typ: 'access', sub: p.userId, tid: p.tenantId, role: p.role, iat: now, exp: now + ttlSeconds }, secret, ALG);
}

export async function verifyAccessToken(token: string, secret: string): Promise<Principal> {
  const payload = await verifyOrThrow(token, secret);
  if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !ROLES.includes(payload.role as Role)) {
    throw new AppError('unauthorized', 'invalid access token');
  }
  return { userId: payload.sub, tenantId: payload.tid, role: payload.role as Role };
}

export async function signWidgetToken(p: WidgetPrincipal, secret: string, ttlDays: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign({ typ: 'widget', tid: p.tenantId, cid: p.contactId, vid: p.visitorId, iat: now, exp: now + ttlDays * 86_400 }, secret, ALG);
}

export async function verifyWidgetToken(token: string, secret: string): Promise<WidgetPrincipal> {
  const payload = await verifyOrThrow(token, secret);
  if (payload.typ !== 'widget' || typeof payload.tid !== 'string' || typeof payload.cid !== 'string' || typeof payload.vid !== 'string') {
    throw new AppError('unauthorized', 'invalid widget session token');
  }
  return { tenantId: payload.tid, contactId: payload.cid, visitorId: payload.vid };
}

// Verified tokens, so a busy widget or agent session pays for the HMAC once, not per request.
// Access tokens are never revoked before they expire, so a hit only needs the expiry re-checked.
const verified = new Map<string, { secret: string; payload: Record<string, unknown> }>();
const VERIFIED_MAX = 10_000;

async function verifyOrThrow(token: string, secret: string): Promise<Record<string, unknown>> {
  const hit = verified.get(token);
  if (hit && hit.secret === secret && Number(hit.payload.exp) > Date.now() / 1000) return hit.payload;
  let payload: Record<string, unknown>;
  try {
    payload = (await verify(token, secret, ALG)) as Record<string, unknown>;
  } catch {
    throw new AppError('unauthorized', 'invalid or expired token');
  }
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
  verified.set(token, { secret, payload });
  return payload;
}

/** Opaque random secrets (refresh tokens, invitations); only their SHA-256 is stored. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export const hashOpaqueToken = (token: string) => createHash('sha256').update(token).digest('hex');
