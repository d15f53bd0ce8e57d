// Routes declared with zod schemas: validated and serialized by fastify-type-provider-zod,
// and documented in /openapi.json from the same schemas. Routes declared with JSON Schema
// (plugins, or routes outside the zod scope) keep Fastify's own compilers and are
// documented as they are.
import type { FastifyInstance, FastifyTypeProvider } from 'fastify';
import type { SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Requests typed from their zod schemas. Answers are not typed from theirs: the view
 * types are readonly and zod's outputs are not; libs/app's api-schemas/conformance.ts
 * checks each answer schema against its view type instead (fields and values).
 */
interface ZodRequests extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: unknown;
}

const isZod = (value: unknown) => value instanceof z.ZodType;
const usesZod = (schema: Record<string, unknown> | undefined) =>
  !!schema && (['body', 'querystring', 'params', 'headers'].some((part) => isZod(schema[part])) || Object.values((schema.response ?? {}) as Record<string, unknown>).some(isZod));

/** For @fastify/swagger: zod schemas become JSON Schema; any other route is documented as declared. */
export const openApiTransform: SwaggerTransform = (route) => (usesZod(route.schema as Record<string, unknown> | undefined) ? jsonSchemaTransform(route as Parameters<typeof jsonSchemaTransform>[0]) : { schema: route.schema, url: route.url });

/** A plugin scope whose routes take zod schemas. */
export function zodScope(server: FastifyInstance) {
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  return server.withTypeProvider<ZodRequests>();
}

export type ZodServer = ReturnType<typeof zodScope>;
