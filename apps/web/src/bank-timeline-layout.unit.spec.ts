import { describe, expect, it } from 'vitest';
import { fitBuild, layoutBankTimeline, type TimelineEvent } from './bank-timeline-layout';

const at = (bootedBank: number, bank0: [string | null, string], bank1: [string | null, string]): TimelineEvent['after'] => ({
  bootedBank,
  banks: [
    { bank: 0, build: bank0[0], state: bank0[1] },
    { bank: 1, build: bank1[0], state: bank1[1] },
  ],
});

describe('layoutBankTimeline', () => {
  it('merges steps while a bank holds the same build and state, and splits where it changes', () => {
    const events: TimelineEvent[] = [
      { at: 't0', type: 'BankStateObserved', after: at(0, ['8.0.2', 'VALID'], ['8.0.1', 'VALID']) },
      { at: 't1', type: 'MaintenanceModeEntered', after: at(0, ['8.0.2', 'VALID'], ['8.0.1', 'VALID']) },
      { at: 't2', type: 'ImageStaged', after: at(0, ['8.0.2', 'VALID'], ['8.0.3', 'UPGRADING']) },
      { at: 't3', type: 'BootFellBack', after: at(0, ['8.0.2', 'VALID'], ['8.0.3', 'INVALID']) },
    ];
    const layout = layoutBankTimeline(events);
    expect(layout.steps).toBe(4);
    expect(layout.segments).toEqual([
      { bank: 0, from: 0, to: 3, build: '8.0.2', state: 'VALID', booted: true },
      { bank: 1, from: 0, to: 1, build: '8.0.1', state: 'VALID', booted: false },
      { bank: 1, from: 2, to: 2, build: '8.0.3', state: 'UPGRADING', booted: false },
      { bank: 1, from: 3, to: 3, build: '8.0.3', state: 'INVALID', booted: false },
    ]);
  });

  it('splits a lane where the booted bank changes even if the image did not', () => {
    const layout = layoutBankTimeline([
      { at: 't0', type: 'a', after: at(0, ['8.0.2', 'VALID'], ['8.0.3', 'VALID']) },
      { at: 't1', type: 'b', after: at(1, ['8.0.2', 'VALID'], ['8.0.3', 'VALID']) },
    ]);
    expect(layout.segments.filter((s) => s.bank === 1).map((s) => s.booted)).toEqual([false, true]);
  });

  it('fits a build into the room there is: whole, its version, or nothing', () => {
    expect(fitBuild('8.0.3-0.0.24022510', 200)).toBe('8.0.3-0.0.24022510');
    expect(fitBuild('8.0.3-0.0.24022510', 50)).toBe('8.0.3');
    expect(fitBuild('8.0.3-0.0.24022510', 10)).toBe('');
    expect(fitBuild(null, 200)).toBe('empty');
  });
});
