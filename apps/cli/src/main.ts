// `bankswitch`: see program.ts for the commands and exit codes.
import { connect } from './connect';
import { runCli } from './program';

const code = await runCli(process.argv.slice(2), {
  open: (options) => connect(options),
  io: { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`), isTty: Boolean(process.stdout.isTTY) },
});
// Into a pipe, stdout is written asynchronously: exiting now would cut a long answer
// (e.g. `hosts list --json | wc -c`). A write's callback runs once everything written
// before it was handed to the OS.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(code);
