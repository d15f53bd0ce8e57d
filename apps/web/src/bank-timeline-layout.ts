// Where the bank timeline draws what: one step per event of the host's history (events
// come in bursts seconds apart after weeks of nothing, so a step per event reads better
// than a time scale), and in each bank's lane the build and boot state it held from that
// event on, merged while they do not change.
export interface TimelineEvent {
  readonly at: string;
  readonly type: string;
  readonly after: {
    readonly bootedBank: number | null;
    readonly banks: readonly { readonly bank: number; readonly build: string | null; readonly state: string }[];
  };
}

export interface LaneSegment {
  readonly bank: number;
  /** First and last step (inclusive) it spans. */
  readonly from: number;
  readonly to: number;
  readonly build: string | null;
  readonly state: string;
  readonly booted: boolean;
}

export interface TimelineLayout {
  readonly steps: number;
  readonly segments: readonly LaneSegment[];
}

export function layoutBankTimeline(events: readonly TimelineEvent[]): TimelineLayout {
  const segments: LaneSegment[] = [];
  for (const bank of [0, 1]) {
    let open: LaneSegment | undefined;
    events.forEach((event, step) => {
      const image = event.after.banks.find((b) => b.bank === bank);
      const build = image?.build ?? null;
      const state = image?.state ?? 'unknown';
      const booted = event.after.bootedBank === bank;
      if (open && open.build === build && open.state === state && open.booted === booted) {
        open = { ...open, to: step };
        segments[segments.length - 1] = open;
        return;
      }
      open = { bank, from: step, to: step, build, state, booted };
      segments.push(open);
    });
  }
  return { steps: events.length, segments };
}

/** A build as it fits: whole, its version alone (8.0.3), or nothing. */
export function fitBuild(build: string | null, widthPx: number, charPx = 6.6): string {
  const text = build ?? 'empty';
  if (text.length * charPx <= widthPx) return text;
  const version = text.split('-')[0] ?? '';
  return version.length * charPx <= widthPx ? version : '';
}
