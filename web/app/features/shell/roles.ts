/** Mirrors the API's permission matrix for what the UI shows; the API still enforces every call. */
export type Role = 'owner' | 'admin' | 'manager' | 'agent';

export const isAdminRole = (role: string) => role === 'owner' || role === 'admin';
