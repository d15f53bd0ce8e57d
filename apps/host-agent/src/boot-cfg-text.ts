// Small edits of boot.cfg text that keep every other line as it is (the loader's rules
// themselves live in @bankswitch/banks; this is only what the update tooling writes).

export const IMAGE_FILE = 'image.v00';

export function cfgValue(text: string | null, key: string): string | undefined {
  if (text === null) return undefined;
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq).trim() === key) return line.slice(eq + 1).trim();
  }
  return undefined;
}

/** Sets `key=value`, in place when present; `bootstate` goes first, so it sits in the first 512 bytes. */
export function withCfgValue(text: string, key: string, value: string | number): string {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => {
    const eq = line.indexOf('=');
    return eq > 0 && line.slice(0, eq).trim() === key;
  });
  if (index >= 0) {
    lines[index] = `${key}=${value}`;
    return lines.join('\n');
  }
  if (key === 'bootstate') return `${key}=${value}\n${text}`;
  return `${text.endsWith('\n') || text === '' ? text : `${text}\n`}${key}=${value}\n`;
}

export function cfgUpdated(text: string | null): number {
  const value = Number(cfgValue(text, 'updated'));
  return Number.isInteger(value) ? value : 0;
}

/** A bank the loader may boot again as is: VALID with a build and updated > 0. */
export function isValidBank(text: string | null): boolean {
  return cfgValue(text, 'bootstate') === '0' && cfgUpdated(text) > 0 && (cfgValue(text, 'build') ?? '') !== '';
}

export function installedBootCfg(input: { build: string; updated: number; bootstate: number }): string {
  return [
    `bootstate=${input.bootstate}`,
    'title=Loading VMware ESXi',
    'timeout=5',
    'prefix=',
    'kernel=b.b00',
    'kernelopt=autoPartition=FALSE',
    `modules=b.b00 --- ${IMAGE_FILE}`,
    `build=${input.build}`,
    `updated=${input.updated}`,
    '',
  ].join('\n');
}
