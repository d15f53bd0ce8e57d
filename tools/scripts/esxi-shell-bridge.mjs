#!/usr/bin/env node
// The ForceCommand of a real sshd in tests: runs the command the SSH client asked for
// ($SSH_ORIGINAL_COMMAND) in a simulated host's ESXi shell, through its agent's admin API
// (POST /hosts/<id>/shell), and answers as that shell did: stdout, stderr, exit status.
// A host that is not up answers as an unreachable one would: exit 255.
// Usage (sshd_config): ForceCommand node esxi-shell-bridge.mjs <admin url> <host id>
const [adminUrl, hostId] = process.argv.slice(2);
if (!adminUrl || !hostId) {
  process.stderr.write('usage: esxi-shell-bridge.mjs <agent admin url> <host id>\n');
  process.exit(2);
}
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const response = await fetch(`${adminUrl}/hosts/${encodeURIComponent(hostId)}/shell`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ command: process.env.SSH_ORIGINAL_COMMAND ?? '', stdin: Buffer.concat(chunks).toString('base64') }),
}).catch((error) => ({ ok: false, status: 0, json: async () => ({ message: String(error) }) }));
if (!response.ok) {
  const body = await response.json().catch(() => ({}));
  process.stderr.write(`esxi-shell-bridge: host ${hostId}: ${body.message ?? `HTTP ${response.status}`}\n`);
  process.exit(255);
}
const result = await response.json();
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
