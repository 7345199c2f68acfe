import { isRouteErrorResponse } from '@remix-run/react';

/** Human readable message for anything an ErrorBoundary can receive. */
export function errorMessage(error: unknown): string {
  if (isRouteErrorResponse(error)) {
    const payload = error.data as { message?: unknown } | string | null;
    if (typeof payload === 'string' && payload) return payload;
    if (payload && typeof payload === 'object' && typeof payload.message === 'string') return payload.message;
    return `${error.status} ${error.statusText}`.trim();
  }
  return error instanceof Error ? error.message : 'Unexpected error';
}
