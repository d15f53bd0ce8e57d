// `bankswitch`: see program.ts for the commands and exit codes.
import { appConfigFromEnv, openBankswitchApp, type AppConfig } from '@bankswitch/app';
import { runCli } from './program';

let config: AppConfig | undefined;
const code = await runCli(process.argv.slice(2), {
  open: async () => {
    config = appConfigFromEnv();
    return openBankswitchApp(config);
  },
  operator: () => config?.operator ?? 'unknown',
  io: { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`), isTty: Boolean(process.stdout.isTTY) },
});
process.exit(code);
