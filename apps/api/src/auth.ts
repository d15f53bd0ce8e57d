// Bearer tokens and roles from the environment:
//   BANKSWITCH_API_TOKENS="tok1=operator:alice,tok2=auditor:bob"
// Operators may act; auditors may only read. The token's name is the operator recorded
// in event metadata.
export type Role = 'operator' | 'auditor';

export interface Principal {
  readonly name: string;
  readonly role: Role;
}

export function parseTokens(text: string | undefined): Map<string, Principal> {
  const tokens = new Map<string, Principal>();
  const problems: string[] = [];
  for (const entry of (text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = /^([^=\s]+)=(operator|auditor):([^\s,]+)$/.exec(entry);
    if (!match) {
      problems.push(`"${entry.replace(/=.*/, '=…')}" is not token=operator:<name> or token=auditor:<name>`);
      continue;
    }
    tokens.set(match[1]!, { role: match[2] as Role, name: match[3]! });
  }
  if (problems.length) throw new Error(`BANKSWITCH_API_TOKENS: ${problems.join('; ')}`);
  if (tokens.size === 0) throw new Error('BANKSWITCH_API_TOKENS is empty: set e.g. "s3cret=operator:alice,r3ad=auditor:bob"');
  return tokens;
}

/** The principal behind an Authorization header, or undefined for a missing or unknown token. */
export function authenticate(tokens: ReadonlyMap<string, Principal>, header: string | undefined): Principal | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? tokens.get(match[1]!) : undefined;
}
