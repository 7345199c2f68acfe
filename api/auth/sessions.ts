import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { refreshTokens, users } from '../../db/schema/index.js';
import type { ApiConfig } from '../config.js';
import { AppError } from '../errors.js';
import type { Role } from './principal.js';
import { hashOpaqueToken, newOpaqueToken, signAccessToken } from './tokens.js';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

interface SessionUser {
  id: string;
  tenantId: string;
  role: Role;
}

// Refresh tokens are looked up before the caller's tenant is known, so these run on the platform connection.

export async function startSession(db: Database, config: ApiConfig, user: SessionUser, familyId: string = randomUUID()): Promise<SessionTokens> {
  const { token, hash } = newOpaqueToken();
  await db.insert(refreshTokens).values({
    tenantId: user.tenantId,
    userId: user.id,
    familyId,
    tokenHash: hash,
    expiresAt: new Date(Date.now() + config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
  });
  const accessToken = await signAccessToken({ userId: user.id, tenantId: user.tenantId, role: user.role }, config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS);
  return { accessToken, refreshToken: token };
}

/**
 * Exchanges a refresh token for a new pair. A token that was already rotated is a replay, most
 * likely of a stolen token, so the whole family is revoked and its holder must log in again.
 */
export async function rotateSession(db: Database, config: ApiConfig, refreshToken: string): Promise<SessionTokens> {
  const hash = hashOpaqueToken(refreshToken);
  // Claim and successor in one transaction: a concurrent replay of the same token blocks on the
  // claimed row until this commits, then finds it rotated and revokes the family, successor included.
  const rotated = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(refreshTokens)
      .set({ rotatedAt: sql`now()` })
      .where(and(eq(refreshTokens.tokenHash, hash), isNull(refreshTokens.rotatedAt), isNull(refreshTokens.revokedAt), sql`${refreshTokens.expiresAt} > now()`))
      .returning();
    if (!claimed) return undefined;
    const [user] = await tx.select({ id: users.id, tenantId: users.tenantId, role: users.role }).from(users).where(eq(users.id, claimed.userId));
    if (!user) return undefined;
    const next = newOpaqueToken();
    await tx.insert(refreshTokens).values({
      tenantId: user.tenantId,
      userId: user.id,
      familyId: claimed.familyId,
      tokenHash: next.hash,
      expiresAt: new Date(Date.now() + config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
    });
    return { user, refreshToken: next.token };
  });
  if (!rotated) {
    const [known] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hash));
    if (known?.rotatedAt) {
      await db.update(refreshTokens).set({ revokedAt: sql`now()` }).where(and(eq(refreshTokens.familyId, known.familyId), isNull(refreshTokens.revokedAt)));
    }
    throw new AppError('unauthorized', 'refresh token is invalid, expired or already used');
  }
  const { user } = rotated;
  const accessToken = await signAccessToken({ userId: user.id, tenantId: user.tenantId, role: user.role }, config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS);
  return { accessToken, refreshToken: rotated.refreshToken };
}

export async function endSession(db: Database, refreshToken: string): Promise<void> {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaqueToken(refreshToken)));
  if (row) await db.update(refreshTokens).set({ revokedAt: sql`now()` }).where(eq(refreshTokens.familyId, row.familyId));
}
