/**
 * What each role may change in Settings, mirroring `api/auth/permissions.ts` so the pages hide or
 * disable what the API would refuse. The API still enforces every call.
 */
const MATRIX = {
  'users:invite': ['owner', 'admin'],
  'users:manage': ['owner', 'admin'],
  'teams:manage': ['owner', 'admin', 'manager'],
  'workspace:manage': ['owner', 'admin'],
  'channels:manage': ['owner', 'admin'],
  'agent:manage': ['owner', 'admin'],
  'knowledge:manage': ['owner', 'admin', 'manager'],
  'canned:manage': ['owner', 'admin', 'manager'],
} as const satisfies Record<string, readonly string[]>;

export type SettingsPermission = keyof typeof MATRIX;

export const can = (role: string, permission: SettingsPermission) => (MATRIX[permission] as readonly string[]).includes(role);

/** Roles a user may grant: never above their own (only an owner makes another owner). */
const RANK: Record<string, number> = { agent: 0, manager: 1, admin: 2, owner: 3 };
export const ROLES = ['owner', 'admin', 'manager', 'agent'] as const;
export const grantableRoles = (role: string) => ROLES.filter((r) => (RANK[r] ?? 99) <= (RANK[role] ?? -1));
