/** Mirrors the API's permission matrix for what the UI shows; the API still enforces every call. */
export type Role = 'owner' | 'admin' | 'manager' | 'agent';

export const isAdminRole = (role: string) => role === 'owner' || role === 'admin';

/** As the API's reports:read: owners, admins and managers. */
export const mayReadReports = (role: string) => ['owner', 'admin', 'manager'].includes(role);
