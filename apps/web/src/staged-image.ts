// What auditors ask of an image Bankswitch staged on a host, read from its ImageStaged
// event: which build, which of the worker's trusted keys verified its signature, and why
// an older build than the one running was allowed (`target.allowDowngrade`).

export interface StagedImage {
  readonly at: string;
  readonly build: string;
  readonly bank: number;
  /** The key file that verified the signature; null: the worker required no signature. */
  readonly signedBy: string | null;
  readonly downgrade: { readonly fromBuild: string; readonly reason: string } | null;
}

interface ImageStagedData {
  readonly build: string;
  readonly bank: number;
  readonly signedBy?: string;
  readonly downgrade?: { readonly fromBuild: string; readonly reason: string };
}

type Entry = { readonly type: string; readonly at: string; readonly data: unknown };

/** The staged image an event records; undefined for any other event. */
export function stagedImageOf(entry: Entry): StagedImage | undefined {
  if (entry.type !== 'ImageStaged') return undefined;
  const d = entry.data as ImageStagedData;
  return { at: entry.at, build: d.build, bank: d.bank, signedBy: d.signedBy ?? null, downgrade: d.downgrade ?? null };
}

/** The image staged last on the host (its newest ImageStaged), if any. */
export function lastStagedImage(entries: readonly Entry[]): StagedImage | undefined {
  for (const entry of [...entries].reverse()) {
    const image = stagedImageOf(entry);
    if (image) return image;
  }
  return undefined;
}

/** "trusted key release.pem", or why no key is named. */
export const signatureText = (image: StagedImage): string => (image.signedBy ? `trusted key ${image.signedBy}` : 'not checked (the worker trusted no image keys)');

/** "from 8.0.3-0.0.24022510, allowed: INC-4711: …", or "no". */
export const downgradeText = (image: StagedImage): string => (image.downgrade ? `from ${image.downgrade.fromBuild}, allowed: ${image.downgrade.reason}` : 'no');

/** One line for the host's summary: "8.0.2-0.0.22380479 in bank 0, signed by trusted key release.pem; a downgrade from …, allowed: …". */
export function stagedImageText(image: StagedImage): string {
  const signed = image.signedBy ? `signed by trusted key ${image.signedBy}` : 'signature not checked';
  return `${image.build} in bank ${image.bank}, ${signed}${image.downgrade ? `; a downgrade ${downgradeText(image)}` : ''}`;
}
