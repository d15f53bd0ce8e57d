// API tokens: who may use the API (and so the CLI and the dashboard through it), and as
// whom. A token is 32 random bytes shown once; only its SHA-256 is stored. Its name is
// the operator recorded in event metadata, so a name is never reused, even revoked.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '@bankswitch/event-store';
import { ConflictError, InvalidInputError, NotFoundError } from './errors';

export const ROLES = ['operator', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who a token speaks for. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

export interface TokenView extends Principal {
  readonly createdBy: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
  readonly revokedBy?: string;
  readonly lastUsedAt?: string;
}

export interface CreatedToken extends Principal {
  /** The secret: shown once, never stored. */
  readonly token: string;
}

const TOKEN_PREFIX = 'bsw_';
const nameSchema = z
  .string()
  .min(1, 'a token needs a name: the operator recorded for what is done with it')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'letters, digits, ".", "_", "@" or "-", starting with a letter or digit');
const roleSchema = z.enum(ROLES, { error: `expected ${ROLES.join(' or ')}` });

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

function parse<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues.map((i) => i.message).join('; ');
  throw new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
}

export async function createToken(prisma: PrismaClient, input: { name: string; role: string; by: string }): Promise<CreatedToken> {
  const name = parse(nameSchema, input.name, 'name');
  const role = parse(roleSchema, input.role, 'role');
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const existing = await prisma.apiToken.findUnique({ where: { name } });
  if (existing) {
    throw new ConflictError(
      `a token named ${name} ${existing.revokedAt ? 'existed and was revoked' : 'exists'}: names are never reused, because the name is the operator recorded in the event history; choose another name`,
    );
  }
  await prisma.apiToken.create({ data: { name, role, hash: digest(token), createdBy: input.by } });
  return { name, role, token };
}

export async function revokeToken(prisma: PrismaClient, name: string, by: string): Promise<TokenView> {
  const row = await prisma.apiToken.findUnique({ where: { name } });
  if (!row) throw new NotFoundError(`no token named ${name}: \`bankswitch tokens list\` shows the tokens there are`);
  if (row.revokedAt) return view(row);
  return view(await prisma.apiToken.update({ where: { name }, data: { revokedAt: new Date(), revokedBy: by } }));
}

export async function listTokens(prisma: PrismaClient): Promise<TokenView[]> {
  return (await prisma.apiToken.findMany({ orderBy: { createdAt: 'asc' } })).map(view);
}

/** The principal a bearer token speaks for, or undefined for an unknown or revoked one. */
export async function authenticateToken(prisma: PrismaClient, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 128) return undefined;
  const hash = digest(token);
  const row = await prisma.apiToken.findUnique({ where: { hash } });
  // The lookup is by hash, so a timing difference tells nothing about the token; the
  // comparison is constant-time anyway so that the rule never depends on how we look up.
  if (!row || row.revokedAt || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) return undefined;
  // Best effort, at most once a minute per token: "last used" is for auditing stale tokens.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiToken.update({ where: { name: row.name }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
  return { name: row.name, role: row.role as Role };
}

function view(row: { name: string; role: string; createdBy: string; createdAt: Date; revokedAt: Date | null; revokedBy: string | null; lastUsedAt: Date | null }): TokenView {
  return {
    name: row.name,
    role: row.role as Role,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    ...(row.revokedAt ? { revokedAt: row.revokedAt.toISOString(), revokedBy: row.revokedBy ?? undefined } : {}),
    ...(row.lastUsedAt ? { lastUsedAt: row.lastUsedAt.toISOString() } : {}),
  };
}
