// Headless Chromium for the dashboard's tests: Debian's `chromium` (installed by
// tools/scripts/ensure-system-packages.sh), driven by playwright-core. Playwright's own
// browser download is never used.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  const named = process.env.CHROMIUM_PATH;
  if (named) return named;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (fs.existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('the dashboard tests need Chromium: install Debian\'s chromium (`sudo apt-get install -y chromium`, or `bash tools/scripts/ensure-system-packages.sh`), or set CHROMIUM_PATH');
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
