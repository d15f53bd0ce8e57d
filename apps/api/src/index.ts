export { buildApiServer, type ApiOptions } from './server';
export { bearerToken, SignInThrottle, type Authenticate, type Principal, type Role } from './auth';
