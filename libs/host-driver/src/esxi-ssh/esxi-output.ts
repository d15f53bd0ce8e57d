// ESXi's own output formats, as the driver reads them (docs/esxi-ssh.md has samples and
// sources). Parse by key, never by position: field order changes between versions.

/** `   Key: Value` lines of esxcli's simple formatter (an optional header line first). */
export function parseKeyValues(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s+([^:]+):\s?(.*)$/.exec(line);
    if (match?.[1]) fields[match[1].trim()] = (match[2] ?? '').trim();
  }
  return fields;
}

/** esxcli's table formatter: a header row, a row of dashes, then rows; columns are where the dashes are. */
export function parseTable(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const dashes = lines.findIndex((line) => /^-+(\s+-+)*\s*$/.test(line));
  if (dashes < 1) return [];
  const header = lines[dashes - 1] ?? '';
  const spans: [number, number][] = [];
  for (const match of (lines[dashes] ?? '').matchAll(/-+/g)) spans.push([match.index ?? 0, (match.index ?? 0) + match[0].length]);
  const cell = (line: string, [start, end]: [number, number], last: boolean) => (last ? line.slice(start) : line.slice(start, end)).trim();
  const names = spans.map((span, i) => cell(header, span, i === spans.length - 1));
  return lines.slice(dashes + 1).map((line) => Object.fromEntries(names.map((name, i) => [name, cell(line, spans[i]!, i === spans.length - 1)])));
}

/** `esxcli system version get` → "8.0.3" and the build number "24022510". */
export function parseVersion(text: string): { version: string; buildNumber: string } | undefined {
  const fields = parseKeyValues(text);
  const version = fields.Version;
  const build = fields.Build?.replace(/^Releasebuild-/, '');
  return version && build ? { version, buildNumber: build } : undefined;
}

/** `sha256sum <file>` (BusyBox): `<64 hex>  <path>`. */
export function parseSha256sum(text: string): string | undefined {
  return /^([0-9a-f]{64})\s/.exec(text.trim())?.[1];
}

/** The first line of an esxcli error (`[ClassName]` then the message): the message in one line. */
export function esxcliError(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'Please refer to the log file for more details.');
  const first = lines[0] ?? '';
  return /^\[\w+\]$/.test(first) ? `${first} ${lines[1] ?? ''}`.trim() : lines.join(' ').slice(0, 500);
}
