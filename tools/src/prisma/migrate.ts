// `npm run db:migrate`: applies the migrations of this release (prisma/migrations) that the
// database named by DATABASE_URL does not have yet, with the real `prisma migrate deploy`
// (docs/database.md). The first step of every upgrade of Bankswitch (docs/production.md):
// each migration only adds, so the release before keeps running on the migrated database.
import { migrateDeploy } from './prisma-cli';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('db:migrate: set DATABASE_URL to the Bankswitch database (postgresql://user:password@host:5432/bankswitch)');
  process.exit(2);
}
// Prisma's own account: the migrations found, those applied now (or "No pending migrations to apply").
console.log((await migrateDeploy(url)).trim());
