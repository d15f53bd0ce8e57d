import type { ScenarioResult } from './run-scenario';

const pad = (text: string, width: number) => text.padEnd(width);

/** The table, the problems under it, and the last line the suite is checked by. */
export function formatReport(results: readonly ScenarioResult[]): string[] {
  const lines: string[] = [];
  const header = ['SCENARIO', 'CAMPAIGN', 'HOSTS: ENGINE RECORD (HOST ITSELF WHEN IT DIFFERS)', 'LOST', 'DUP', 'UNDEC', 'HUNG', 'CHAINS', 'AS EXPECTED', 'TIME'];
  const rows = results.map((r) => [
    r.name,
    r.campaign,
    r.hosts.map((h) => `${h.hostId.slice(h.hostId.lastIndexOf('-') + 1)} ${h.endState}${h.truth === h.record ? '' : ` [host: ${h.truth}]`}`).join(', '),
    String(r.lost),
    String(r.duplicated),
    String(r.undecided),
    String(r.hung),
    r.chainsOk ? 'ok' : 'BROKEN',
    r.unexpected.length === 0 ? 'yes' : 'NO',
    `${r.seconds.toFixed(0)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => pad(cell, widths[i] ?? 0)).join('  ').trimEnd();
  lines.push(line(header));
  for (const row of rows) lines.push(line(row));
  for (const r of results) {
    lines.push(`  ${r.name}: ${r.what}; events per host ${r.hosts.map((h) => h.events).join('/')}`);
    for (const problem of r.problems) lines.push(`    ! ${problem}`);
  }
  lines.push(chaosLine(results));
  return lines;
}

export function chaosLine(results: readonly ScenarioResult[]): string {
  const sum = (key: 'lost' | 'duplicated' | 'undecided' | 'hung') => results.reduce((n, r) => n + r[key], 0);
  return `chaos: ${results.length} scenarios, ${sum('lost')} lost, ${sum('duplicated')} duplicated, ${sum('undecided')} undecided, ${sum('hung')} hung`;
}

/** The suite passes when all four counts are 0, every host ended as its scenario allows, and every chain verifies. */
export const chaosPassed = (results: readonly ScenarioResult[]): boolean =>
  results.every((r) => r.lost + r.duplicated + r.undecided + r.hung === 0 && r.unexpected.length === 0 && r.chainsOk);
