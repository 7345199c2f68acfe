export const ROLES = ['owner', 'admin', 'manager', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling. The tenant always comes from here, never from request input. */
export interface Principal {
  userId: string;
  tenantId: string;
  role: Role;
}
