// The engine's end-to-end scenarios over the esxi-ssh driver: every host answers SSH as
// ESXi does (esxcli, its output formats, exit codes and refusals) and marks the bank it
// booted VALID itself, as ESXi does.
import { engineScenarios } from './engine-scenarios';

engineScenarios('esxi-ssh');
