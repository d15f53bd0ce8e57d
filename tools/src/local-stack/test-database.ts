import pg from 'pg';

/**
 * Creates a fresh database for one test project, copied from an already migrated one
 * (`CREATE DATABASE … TEMPLATE …` copies files: milliseconds, where running the
 * migrations again through Prisma's CLI takes seconds). Projects tested in parallel
 * against one server then never see each other's rows.
 */
export async function cloneDatabase(templateUrl: string, name: string): Promise<string> {
  const template = new URL(templateUrl);
  const templateName = template.pathname.replace(/^\//, '');
  const admin = new URL(templateUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
  } finally {
    await client.end();
  }
  const clone = new URL(templateUrl);
  clone.pathname = `/${name}`;
  return clone.toString();
}

export async function dropDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = parsed.pathname.replace(/^\//, '');
  parsed.pathname = '/postgres';
  const client = new pg.Client({ connectionString: parsed.toString() });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
