import { decide } from './decide';
import { evolve } from './evolve';
import { initialState } from './host-banks';

/** The three functions together, in the shape Emmett-style command handlers expect. */
export const hostBanksDecider = { decide, evolve, initialState } as const;
