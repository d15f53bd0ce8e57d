import type { BankswitchApp, CampaignView } from '../src/index';

/** Polls the campaign until `done` says so (status or progress), or fails after `timeoutMs`. */
export async function waitForCampaign(app: BankswitchApp, id: string, done: (view: CampaignView) => boolean, timeoutMs = 90_000): Promise<CampaignView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await app.campaignStatus(id);
    if (done(view)) return view;
    if (Date.now() > deadline) throw new Error(`campaign ${id} still ${view.status} after ${timeoutMs} ms: ${JSON.stringify(view.progress?.hosts)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
