/** TAXII 2.1 error message resource: title, description, http_status (a string), error_code … */
import type { Context } from 'hono';
import { TAXII_MEDIA } from './media.js';

export class TaxiiHttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 406 | 413 | 415 | 422 | 500,
    readonly title: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${title}: ${description}`);
  }
}

export function errorResponse(c: Context, e: TaxiiHttpError): Response {
  const body = { title: e.title, description: e.description, http_status: String(e.status) };
  return new Response(JSON.stringify(body), {
    status: e.status,
    headers: { 'Content-Type': TAXII_MEDIA, ...e.headers },
  });
}

export const notFound = (what: string) => new TaxiiHttpError(404, 'Not Found', what);
export const badRequest = (what: string) => new TaxiiHttpError(400, 'Bad Request', what);
export const forbidden = (what: string) => new TaxiiHttpError(403, 'Forbidden', what);
