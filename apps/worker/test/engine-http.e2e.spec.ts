// The engine's end-to-end scenarios over the HTTP driver (the simulated hosts' own API).
import { engineScenarios } from './engine-scenarios';

engineScenarios('http');
