// What `npm run bench:events` appends, shaped like the engine's appends: every append
// carries an idempotency key (the engine's always do), and the streams are mixed as a
// campaign makes them: many short host streams (a host upgrade appends about 8 times to
// its host's stream) and a long campaign stream (a few events per host, thousands in all),
// which here takes every fifth append and starts with SEEDED_CAMPAIGN_EVENTS events.
import type { BankswitchEvent } from '@bankswitch/records';

export const APPENDS_PER_HOST = 8;
export const CAMPAIGN_EVERY = 5;
export const SEEDED_CAMPAIGN_EVENTS = 2000;

export const metadata = { campaignId: 'bench', workflowId: 'wf-bench', runId: 'run-1', activity: 'stageImage', operator: 'bench' };

/** A realistic bank event (~300 bytes of JSON with metadata). */
export const hostEvent = (i: number): BankswitchEvent => ({
  type: 'ImageStaged',
  data: { bank: 1, build: `8.0.3-${i}`, sha256: 'ab'.repeat(32), updated: i + 1, replacedBuild: '8.0.2', rollbackImageLost: false },
});

export const campaignEvent = (i: number): BankswitchEvent => ({
  type: 'HostStarted',
  data: { campaignId: 'bench', hostId: `esx-${i}`, wave: 1, attempt: 1, operator: null },
});

/** One writer's appends, whatever path writes them. */
export interface StreamWriter {
  append(events: readonly BankswitchEvent[], key: string): Promise<void>;
}

/** The streams one writer appends to in one run: its long campaign stream, and short host streams made as it goes. */
export interface WriterStreams {
  readonly campaign: StreamWriter;
  host(id: string): StreamWriter;
}

/** `appends` appends of `batch` events by one writer; `tag` makes its host streams and keys unique. */
export async function runWriter(streams: WriterStreams, tag: string, appends: number, batch: number): Promise<void> {
  let host: StreamWriter | undefined;
  let hostAppends = APPENDS_PER_HOST;
  for (let a = 0; a < appends; a++) {
    const key = `${tag}:${a}`;
    if (a % CAMPAIGN_EVERY === CAMPAIGN_EVERY - 1) {
      await streams.campaign.append(Array.from({ length: batch }, (_, i) => campaignEvent(a * batch + i)), key);
      continue;
    }
    if (hostAppends === APPENDS_PER_HOST) {
      host = streams.host(`${tag}-${a}`);
      hostAppends = 0;
    }
    hostAppends++;
    await host!.append(Array.from({ length: batch }, (_, i) => hostEvent(a * batch + i)), key);
  }
}
