import { z } from '@hono/zod-openapi';
import { ROLES } from '../../auth/principal.js';

export const Email = z.string().trim().toLowerCase().email().max(254);
export const Password = z.string().min(10, 'must be at least 10 characters').max(200);

export const UserView = z
  .object({ id: z.string().uuid(), email: z.string(), name: z.string(), role: z.enum(ROLES), tenantId: z.string().uuid() })
  .openapi('User');
export const TenantView = z.object({ id: z.string().uuid(), name: z.string(), widgetKey: z.string() }).openapi('Tenant');
export const SessionView = z
  .object({ accessToken: z.string(), refreshToken: z.string(), user: UserView, tenant: TenantView })
  .openapi('Session');
export const TokenPair = z.object({ accessToken: z.string(), refreshToken: z.string() }).openapi('TokenPair');
