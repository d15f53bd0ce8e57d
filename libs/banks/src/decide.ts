import type { BankCommand } from './commands';
import { abandonStagedImage } from './abandon-staged-image';
import { commitBank } from './commit-bank';
import type { Decision } from './decision';
import { accept } from './decision';
import { observationEvents } from './drift';
import type { HostBanks } from './host-banks';
import { hostBanksFromBootCfgs } from './host-banks';
import { rebootIntoStaged } from './reboot-into-staged';
import { recordBoot } from './record-boot';
import { rollBack } from './roll-back';
import { stageImage } from './stage-image';

/** Pure: the events a command produces against the current state, or why it is refused. */
export function decide(command: BankCommand, state: HostBanks): Decision {
  switch (command.type) {
    case 'StageImage':
      return stageImage(command, state);
    case 'RebootIntoStaged':
      return rebootIntoStaged(command, state);
    case 'RecordBoot':
      return recordBoot(command, state);
    case 'CommitBank':
      return commitBank(command, state);
    case 'RollBack':
      return rollBack(command, state);
    case 'AbandonStagedImage':
      return abandonStagedImage(command, state);
    case 'ObserveBanks': {
      const { bank0, bank1, bootedBank } = command.data;
      return accept(...observationEvents(state, hostBanksFromBootCfgs(bank0, bank1, bootedBank), { always: true }));
    }
  }
}
