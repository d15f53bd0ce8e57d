// A campaign as the API streams it (GET /campaigns/:id/live): its view each time it
// changes and its timeline as it grows, without reloading the page.
import { useEffect, useState } from 'react';
import { ApiError, followLive, type LiveState } from '../api/client';
import type { CampaignTimelineEntry, CampaignView } from '../api/types';
import { useSession } from '../session';

export interface LiveCampaign {
  readonly view?: CampaignView;
  readonly events: readonly CampaignTimelineEntry[];
  readonly state: LiveState;
  /** Why the stream is reconnecting, or what the API could not read. */
  readonly problem?: string;
  /** The stream was refused (unknown campaign, token refused). */
  readonly error?: ApiError;
}

export function useLiveCampaign(campaignId: string): LiveCampaign {
  const { token, signOut } = useSession();
  const [live, setLive] = useState<LiveCampaign>({ events: [], state: 'connecting' });

  useEffect(() => {
    setLive({ events: [], state: 'connecting' });
    const abort = new AbortController();
    void followLive(
      token,
      `/campaigns/${encodeURIComponent(campaignId)}/live`,
      {
        onState: (state, detail) => setLive((l) => ({ ...l, state, problem: state === 'live' ? undefined : (detail ?? l.problem) })),
        onRefused: (error) => {
          if (error.status === 401) signOut(error.message);
          setLive((l) => ({ ...l, error }));
        },
        onMessage: (event, data) => {
          if (event === 'view') setLive((l) => ({ ...l, view: JSON.parse(data) as CampaignView, problem: undefined }));
          if (event === 'problem') setLive((l) => ({ ...l, problem: (JSON.parse(data) as { message: string }).message }));
          if (event === 'events') {
            const entries = JSON.parse(data) as CampaignTimelineEntry[];
            // A reconnected stream sends the timeline again from its start: keep each version once.
            setLive((l) => {
              const last = l.events.at(-1)?.version ?? 0;
              const fresh = entries.filter((e) => e.version > last);
              return fresh.length ? { ...l, events: [...l.events, ...fresh] } : l;
            });
          }
        },
      },
      abort.signal,
    );
    return () => abort.abort();
  }, [campaignId, token, signOut]);

  return live;
}
