// `npm run demo`: for now, brings the local stack up, reports it healthy and stops it.
// The demo campaign over a simulated fleet grows here.
import { startLocalStack } from '../local-stack/index';

const started = Date.now();
const stack = await startLocalStack({ name: 'demo', log: console.log });
console.log(`Local stack healthy in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
for (const line of stack.describe()) console.log(`  ${line}`);
await stack.stop();
console.log('Stopped everything it started.');
