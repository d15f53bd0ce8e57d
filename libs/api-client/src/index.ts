export { createApiClient, type ApiClientOptions } from './client';
export { ApiRefusedError } from './errors';
