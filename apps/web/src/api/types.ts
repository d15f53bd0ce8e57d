// The API's answers, typed by the application layer that produces them. Type-only: no
// server code reaches the browser bundle (esbuild drops these imports).
export type {
  CampaignLaunch,
  CampaignProgress,
  CampaignTimelineEntry,
  CampaignView,
  HistoryEntry,
  HostAction,
  HostActionOutcome,
  HostProgress,
  HostStateView,
  HostStatus,
  HostSummary,
  Principal,
  RetryResult,
} from '@bankswitch/app';
