/** Mirrors api/auth/permissions.ts: who may see automations, and who may change them. */
export const mayReadAutomations = (role: string) => ['owner', 'admin', 'manager'].includes(role);
export const mayManageAutomations = (role: string) => ['owner', 'admin'].includes(role);
