// The application's routes, in a plugin scope of their own that validates and serializes
// with zod (zodScope): hosts, host actions, campaigns, tokens.
import type { FastifyInstance } from 'fastify';
import type { BankswitchApp } from '@bankswitch/app';
import { zodScope } from '../zod';
import { campaignRoutes } from './campaigns';
import { hostActionRoutes } from './host-actions';
import { hostRoutes } from './hosts';
import { tokenRoutes } from './tokens';

export function applicationRoutes(app: BankswitchApp) {
  return async (scope: FastifyInstance): Promise<void> => {
    const server = zodScope(scope);
    hostRoutes(server, app);
    hostActionRoutes(server, app);
    campaignRoutes(server, app);
    tokenRoutes(server, app);
  };
}
