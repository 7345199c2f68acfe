import { describe, expect, it } from 'vitest';
import { assertCanGrant, can } from './permissions.js';

describe('permission matrix', () => {
  it('lets only owners and admins invite', () => {
    expect(can('owner', 'users:invite')).toBe(true);
    expect(can('admin', 'users:invite')).toBe(true);
    expect(can('manager', 'users:invite')).toBe(false);
    expect(can('agent', 'users:invite')).toBe(false);
  });

  it('lets leads, not agents, manage teams and canned responses, and only owners and admins manage members', () => {
    for (const perm of ['teams:manage', 'canned:manage'] as const) {
      expect(can('manager', perm)).toBe(true);
      expect(can('agent', perm)).toBe(false);
    }
    expect(can('admin', 'users:manage')).toBe(true);
    expect(can('manager', 'users:manage')).toBe(false);
  });

  it('never lets a role grant one above itself', () => {
    const admin = { userId: 'u', tenantId: 't', role: 'admin' as const };
    expect(() => assertCanGrant(admin, 'agent')).not.toThrow();
    expect(() => assertCanGrant(admin, 'owner')).toThrow(/may not grant/);
  });
});
