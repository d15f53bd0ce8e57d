import type { FastifyRequest } from 'fastify';

/** Who acts: the token's name, recorded as the operator in event metadata (the auth hook set it). */
export function by(request: FastifyRequest): string {
  if (!request.principal) throw new Error(`${request.method} ${request.routeOptions.url} ran without a principal: the token check did not run for it (is the route marked public?)`);
  return request.principal.name;
}
