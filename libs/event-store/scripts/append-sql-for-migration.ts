// Prints one of the store's SQL function sources (src/append.sql by default, or the file
// named, e.g. src/append-many.sql) in the form a migration needs:
//   npx tsx libs/event-store/scripts/append-sql-for-migration.ts [src/append-many.sql] >> prisma/migrations/<new>/migration.sql
// @prisma/adapter-pg 6.19 runs migration scripts by splitting them on every semicolon,
// dollar quotes included, so the function body becomes an E'' string with quotes doubled
// and each semicolon written as the octal escape \073 (docs/event-store.md).
import { readFile } from 'node:fs/promises';

const source = await readFile(new URL(`../${process.argv[2] ?? 'src/append.sql'}`, import.meta.url), 'utf8');
const start = source.indexOf('$$');
const end = source.lastIndexOf('$$');
const header = source
  .slice(0, start)
  .split('\n')
  .filter((line) => !line.startsWith('--'))
  .join('\n');
const body = source.slice(start + 2, end);
if (body.includes('\\')) throw new Error('the function body contains a backslash: escape it by hand');
if (header.includes(';')) throw new Error('the function header contains a semicolon, which the adapter would split on');
process.stdout.write(`${header}E'${body.replaceAll("'", "''").replaceAll(';', '\\073')}';\n`);
