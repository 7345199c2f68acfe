import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from './client.js';
import { teamMembers, teams, users } from './schema/index.js';

/**
 * The team member who has waited longest for an assignment, marked as just assigned. The team's
 * row lock makes concurrent picks take turns, so two at once never land on the same person out of turn.
 * Null when the team does not exist (in this tenant) or has no members.
 */
export async function roundRobinPick(tx: Tx, teamId: string): Promise<string | null> {
  const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for('update');
  if (!team) return null;
  const [next] = await tx
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(sql`${teamMembers.lastAssignedAt} asc nulls first`, asc(teamMembers.createdAt))
    .limit(1);
  if (!next) return null;
  await tx.update(teamMembers).set({ lastAssignedAt: sql`clock_timestamp()` }).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, next.userId)));
  return next.userId;
}
