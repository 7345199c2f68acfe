import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './context.js';
import { ErrorBody, validationError } from './errors.js';

/** Every router shares the validation hook, so bad input always becomes a 400 naming the field. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

export const jsonBody = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true as const } });
export const jsonResponse = <T>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

/** The error answers most authenticated routes document; each route adds its own (409, 429…). */
export const errorResponses = {
  400: jsonResponse('Invalid input', ErrorBody),
  401: jsonResponse('Not authenticated', ErrorBody),
  403: jsonResponse('Forbidden', ErrorBody),
  404: jsonResponse('Not found', ErrorBody),
};
export const bearerSecurity = [{ bearer: [] }];

/** The `{id}` path parameter of a resource addressed by its UUID. */
export const IdParam = z.object({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) });
