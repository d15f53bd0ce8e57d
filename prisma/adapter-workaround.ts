// Workaround for prisma/prisma issue 27403: @prisma/adapter-pg 6.19 cannot
// deserialize PostgreSQL catalog columns of type `name` (OID 19) and `"char"`
// (OID 18), so every `prisma migrate` command fails with "Column type 'name' could
// not be deserialized" when it introspects the catalog. Both types arrive from pg
// as plain strings, so reporting them as `text` (OID 25) is exact.
// Only the Prisma CLI loads this (through prisma.config.ts); the application's
// client never queries catalog columns. Remove it when the adapter handles them.
import type { PrismaPg } from '@prisma/adapter-pg-migrate';

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

type PerformIO = (query: unknown) => Promise<{ fields: { dataTypeID: number }[] } | undefined>;

export function withCatalogTypesAsText(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    patchQueryablePrototype(adapter);
    return adapter;
  };
  return factory;
}

const patched = new WeakSet<object>();

/** Patches the adapter's shared base class, so transactions it opens are covered too. */
function patchQueryablePrototype(adapter: object): void {
  let proto: { performIO?: PerformIO } | null = Object.getPrototypeOf(adapter);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'performIO')) proto = Object.getPrototypeOf(proto);
  if (!proto || patched.has(proto)) return;
  patched.add(proto);
  const original = proto.performIO as PerformIO;
  proto.performIO = async function (this: unknown, query: unknown) {
    const result = await original.call(this, query);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
}
