import { decide } from './decide';
import { evolve } from './evolve';
import { initialState } from './state';

/** The three functions together, in the shape Emmett-style command handlers expect. */
export const campaignDecider = { decide, evolve, initialState } as const;
