export { buildApiServer, type ApiOptions } from './server';
export { parseTokens, authenticate, type Principal, type Role } from './auth';
