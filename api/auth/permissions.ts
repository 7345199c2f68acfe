import { AppError } from '../errors.js';
import type { Principal, Role } from './principal.js';

/** The role-permission matrix, in one place. */
const MATRIX = {
  'conversations:read': ['owner', 'admin', 'manager', 'agent'],
  'conversations:act': ['owner', 'admin', 'manager', 'agent'],
  'conversations:assign': ['owner', 'admin', 'manager', 'agent'],
  'users:read': ['owner', 'admin', 'manager', 'agent'],
  'users:invite': ['owner', 'admin'],
  'users:manage': ['owner', 'admin'],
  'audit:read': ['owner', 'admin'],
  'workspace:manage': ['owner', 'admin'],
  'knowledge:read': ['owner', 'admin', 'manager', 'agent'],
  'knowledge:manage': ['owner', 'admin', 'manager'],
  'agent:read': ['owner', 'admin', 'manager', 'agent'],
  'agent:manage': ['owner', 'admin'],
  // Approving what the AI wants to do (refunds, merges, data exports) is a lead's call.
  'tools:approve': ['owner', 'admin', 'manager'],
  'channels:read': ['owner', 'admin', 'manager', 'agent'],
  'channels:manage': ['owner', 'admin'],
  // Anyone who may try the product may pose as a customer in the simulator; it only reaches sandbox conversations.
  'channels:simulate': ['owner', 'admin', 'manager', 'agent'],
  'contacts:merge': ['owner', 'admin', 'manager'],
  'teams:manage': ['owner', 'admin', 'manager'],
  'canned:manage': ['owner', 'admin', 'manager'],
  'automations:read': ['owner', 'admin', 'manager'],
  'automations:manage': ['owner', 'admin'],
  'crm:read': ['owner', 'admin', 'manager', 'agent'],
  // Agents work their own deals: leads are theirs to create, move and edit.
  'crm:write': ['owner', 'admin', 'manager', 'agent'],
  // The pipelines themselves (stages, their order) are a lead's call.
  'crm:manage': ['owner', 'admin', 'manager'],
  'tickets:read': ['owner', 'admin', 'manager', 'agent'],
  'tickets:write': ['owner', 'admin', 'manager', 'agent'],
  // SLA targets and macros are the workspace's policy.
  'tickets:manage': ['owner', 'admin', 'manager'],
  // How the team and the AI are doing: for those who lead them.
  'reports:read': ['owner', 'admin', 'manager'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof MATRIX;

export function can(role: Role, permission: Permission): boolean {
  return (MATRIX[permission] as readonly Role[]).includes(role);
}

export function assertCan(principal: Principal, permission: Permission): void {
  if (!can(principal.role, permission)) throw new AppError('forbidden', `your role (${principal.role}) may not ${permission}`);
}

/** Nobody can grant a role above their own; only an owner makes another owner. */
const RANK: Record<Role, number> = { agent: 0, manager: 1, admin: 2, owner: 3 };
/** Whether `role` is `needed` or above. */
export const atLeast = (role: Role, needed: Role) => RANK[role] >= RANK[needed];

export function assertCanGrant(principal: Principal, role: Role): void {
  if (RANK[role] > RANK[principal.role]) throw new AppError('forbidden', `your role (${principal.role}) may not grant the role ${role}`);
}
