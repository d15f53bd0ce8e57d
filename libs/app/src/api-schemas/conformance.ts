// Compile-time checks that each answer schema fits the view type the application returns.
// The API's serializer encodes answers with these schemas and DROPS every field a schema
// does not declare, so a field added to a view type and not here would vanish from the
// API silently; this file fails the type check instead, naming the missing field.
import type { z } from 'zod';
import type { CampaignProgress } from '@bankswitch/campaign';
import type { HostCancelResult } from '../app';
import type { CampaignView, LaunchResult, RetryResult } from '../campaigns';
import type { DriftWatchReport } from '../drift-watch';
import type { HostActionOutcome } from '../host-actions';
import type { HistoryEntry, HostStateView } from '../host-history';
import type { HostSummary, ImportResult } from '../inventory';
import type { PlanOutput } from '../spec-plan';
import type { campaignListSchema, campaignProgressSchema, campaignViewSchema, launchAnswerSchema, retryResultSchema } from './campaigns';
import type { driftWatchReportSchema, historyEntrySchema, hostActionOutcomeSchema, hostHistorySchema, hostCancelResultSchema, hostListSchema, hostStateViewSchema, hostSummarySchema, importResultSchema } from './hosts';
import type { planOutputSchema } from './plan';
import type { CreatedToken, Principal, TokenView } from '../tokens';
import type { createdTokenSchema, principalSchema, tokenListSchema, tokenViewSchema } from './tokens';

type Writable<T> = T extends (...args: never[]) => unknown ? T : T extends readonly (infer U)[] ? Writable<U>[] : T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;

/** Keys and values of a union of object types, member by member (keyof of a union keeps only the common keys). */
type KeyOf<O> = O extends unknown ? keyof O : never;
type ValueOf<O, K> = O extends unknown ? (K extends keyof O ? O[K] : never) : never;

/** Keys of V, at any depth, that O does not declare. */
type Dropped<V, O> = unknown extends V
  ? never
  : V extends readonly (infer VI)[]
    ? O extends readonly (infer OI)[]
      ? Dropped<VI, OI>
      : never
    : V extends object
      ? { [K in keyof V]-?: K extends KeyOf<O> ? Dropped<NonNullable<V[K]>, NonNullable<ValueOf<O, K>>> : K }[keyof V]
      : never;

/** true when every value of V encodes with S and S declares every field of V; else what is wrong. */
type Conforms<S extends z.ZodType, V> = [Dropped<V, z.output<S>>] extends [never]
  ? Writable<V> extends z.output<S>
    ? true
    : { valuesNotAccepted: Writable<V> }
  : { fieldsDropped: Dropped<V, z.output<S>> };

type Assert<T extends true> = T;

export type AnswerSchemasConform = [
  Assert<Conforms<typeof hostSummarySchema, HostSummary>>,
  Assert<Conforms<typeof hostListSchema, { hosts: HostSummary[] }>>,
  Assert<Conforms<typeof importResultSchema, ImportResult>>,
  Assert<Conforms<typeof historyEntrySchema, HistoryEntry>>,
  Assert<Conforms<typeof hostHistorySchema, { hostId: string; entries: HistoryEntry[] }>>,
  Assert<Conforms<typeof hostStateViewSchema, HostStateView>>,
  Assert<Conforms<typeof driftWatchReportSchema, DriftWatchReport>>,
  Assert<Conforms<typeof hostActionOutcomeSchema, HostActionOutcome>>,
  Assert<Conforms<typeof hostCancelResultSchema, HostCancelResult>>,
  Assert<Conforms<typeof campaignProgressSchema, CampaignProgress>>,
  Assert<Conforms<typeof campaignViewSchema, CampaignView>>,
  Assert<Conforms<typeof campaignListSchema, { campaigns: CampaignView[] }>>,
  Assert<Conforms<typeof launchAnswerSchema, LaunchResult & { plan?: PlanOutput }>>,
  Assert<Conforms<typeof retryResultSchema, RetryResult>>,
  Assert<Conforms<typeof planOutputSchema, PlanOutput>>,
  Assert<Conforms<typeof principalSchema, Principal>>,
  Assert<Conforms<typeof tokenViewSchema, TokenView>>,
  Assert<Conforms<typeof tokenListSchema, { tokens: TokenView[] }>>,
  Assert<Conforms<typeof createdTokenSchema, CreatedToken>>,
];
