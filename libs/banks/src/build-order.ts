// ESXi builds read "8.0.3-0.0.24022510": a version (major.minor.update), a patch level,
// and the build number. Newer means a higher version, compared part by part, then a
// higher build number (the patch level orders builds of one version as well).

/** The numeric parts of a build, or null when it is not shaped like an ESXi build. */
export function buildParts(build: string): readonly number[] | null {
  const match = /^(\d+)\.(\d+)\.(\d+)-(\d+)\.(\d+)\.(\d+)$/.exec(build.trim());
  return match ? match.slice(1).map(Number) : null;
}

/**
 * Negative when `a` is older than `b`, positive when newer, 0 when the same; null when
 * either is not an ESXi build (then no order can be claimed).
 */
export function compareBuilds(a: string, b: string): number | null {
  const pa = buildParts(a);
  const pb = buildParts(b);
  if (!pa || !pb) return null;
  // Version parts first, then the build number, then the patch level.
  const order = [0, 1, 2, 5, 3, 4];
  for (const i of order) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** `target` would replace `running` by an older build. */
export const isDowngrade = (running: string | null, target: string): boolean => running !== null && (compareBuilds(target, running) ?? 0) < 0;
