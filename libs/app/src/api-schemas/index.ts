// The API's request and answer schemas (zod), in the application layer so that the API
// serves them (validation, serialization, the OpenAPI document) and a typed client can
// read answers with the same schemas.
export * from './banks';
export * from './campaigns';
export * from './errors';
export * from './hosts';
export * from './plan';
export * from './requests';
export type { AnswerSchemasConform } from './conformance';
export * from './tokens';
