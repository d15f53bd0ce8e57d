// `npm run prisma:generate` (also run by `npm install`): writes the Prisma client.
import { generateClient } from './prisma-cli';

await generateClient();
console.log('Prisma client generated into libs/event-store/src/generated/prisma');
