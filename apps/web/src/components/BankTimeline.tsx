// The host's bank history as a picture: a lane per bank (bank 0, bank 1) showing the
// build and boot state it held over time, and above them a mark per event that opens
// the event's details. One tab stop: the arrow keys move between the marks.
import { useEffect, useRef, useState } from 'react';
import type { HistoryEntry } from '../api/types';
import { fitBuild, layoutBankTimeline } from '../bank-timeline-layout';
import { formatTime, words } from '../format';

const LABEL_W = 70;
/** Width of one event's step: at least this, more while the picture fits the page. */
const MIN_STEP = 68;
const MAX_STEP = 170;
const MARK_Y = 22;
const LANE_Y = [44, 100] as const;
const LANE_H = 48;
const AXIS_Y = LANE_Y[1] + LANE_H + 18;
const HEIGHT = AXIS_Y + 24;

const FAILURES = new Set(['BootFellBack', 'DriftDetected', 'HostKeyMismatch', 'BankInvalidated', 'RolledBack']);
const isFailure = (e: HistoryEntry) =>
  FAILURES.has(e.type) || (e.type === 'UpgradeEnded' && (e.data as { endState?: string }).endState !== 'upgraded');

export interface BankTimelineProps {
  readonly hostId: string;
  readonly entries: readonly HistoryEntry[];
  readonly selected: number | undefined;
  onSelect(index: number): void;
}

export function BankTimeline({ hostId, entries, selected, onSelect }: BankTimelineProps) {
  const marks = useRef<(SVGGElement | null)[]>([]);
  const box = useRef<HTMLDivElement>(null);
  const [room, setRoom] = useState(1000);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => entry && setRoom(entry.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const layout = layoutBankTimeline(entries);
  const STEP = Math.max(MIN_STEP, Math.min(MAX_STEP, Math.floor((room - LABEL_W - 8) / Math.max(entries.length, 1))));
  const width = LABEL_W + layout.steps * STEP + 8;
  const x = (step: number) => LABEL_W + step * STEP;
  const focusable = selected ?? entries.length - 1;
  const move = (to: number) => {
    const index = Math.max(0, Math.min(entries.length - 1, to));
    onSelect(index);
    marks.current[index]?.focus();
  };
  const seconds = entries.map((e) => formatTime(e.at).slice(11));

  return (
    <div className="timeline-scroll" ref={box}>
      <svg
        className="bank-timeline"
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="group"
        aria-label={`Bank timeline of ${hostId}: ${entries.length} events; the arrow keys move between them, Enter opens one`}
      >
        {LANE_Y.map((y, bank) => (
          <text key={bank} x={8} y={y + LANE_H / 2 + 4} className="lane-label">
            bank {bank}
          </text>
        ))}
        {entries.map((_, step) => (
          <line key={step} x1={x(step) + STEP / 2} x2={x(step) + STEP / 2} y1={MARK_Y + 10} y2={LANE_Y[1] + LANE_H} className={step === selected ? 'guide selected' : 'guide'} />
        ))}
        {layout.segments.map((s) => {
          const left = x(s.from) + 2;
          const w = (s.to - s.from + 1) * STEP - 4;
          const y = LANE_Y[s.bank as 0 | 1];
          const state = `${s.booted ? 'booted · ' : ''}${s.state}`;
          return (
            <g key={`${s.bank}-${s.from}`} className={`segment boot-${s.state}${s.booted ? ' booted' : ''}`}>
              <title>{`bank ${s.bank}: ${s.build ?? 'empty'}, ${state}, from ${formatTime(entries[s.from]?.at ?? '', { ms: true })}`}</title>
              <rect x={left} y={y} width={w} height={LANE_H} rx={4} />
              <text x={left + 6} y={y + 19} className="segment-build">
                {fitBuild(s.build, w - 10)}
              </text>
              <text x={left + 6} y={y + 37} className="segment-state">
                {state.length * 6 <= w - 10 ? state : s.state.length * 6 <= w - 10 ? s.state : ''}
              </text>
            </g>
          );
        })}
        {entries.map((e, step) => {
          const cx = x(step) + STEP / 2;
          const failure = isFailure(e);
          return (
            <g
              key={e.version}
              ref={(el) => {
                marks.current[step] = el;
              }}
              className={`mark${failure ? ' failure' : ''}${step === selected ? ' selected' : ''}`}
              role="button"
              tabIndex={step === focusable ? 0 : -1}
              aria-pressed={step === selected}
              aria-label={`${e.type} at ${formatTime(e.at, { ms: true })}: ${e.summary}`}
              onClick={() => move(step)}
              onKeyDown={(event) => {
                const to = { ArrowRight: step + 1, ArrowLeft: step - 1, Home: 0, End: entries.length - 1 }[event.key];
                if (to !== undefined) {
                  event.preventDefault();
                  move(to);
                } else if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onSelect(step);
                }
              }}
            >
              <title>{`${words(e.type)} — ${e.summary}`}</title>
              <circle className="hit" cx={cx} cy={MARK_Y} r={14} />
              <circle className="ring" cx={cx} cy={MARK_Y} r={12} />
              {failure ? <rect className="dot" x={cx - 6} y={MARK_Y - 6} width={12} height={12} transform={`rotate(45 ${cx} ${MARK_Y})`} /> : <circle className="dot" cx={cx} cy={MARK_Y} r={7} />}
            </g>
          );
        })}
        {entries.map((e, step) => {
          // Under each mark: its event's name where it fits, and the time where it changed.
          const named = e.type.length * 6.4 <= STEP - 6;
          const timed = step === 0 || seconds[step] !== seconds[step - 1];
          return (
            <g key={e.version} className="axis" aria-hidden="true">
              {named && (
                <text x={x(step) + STEP / 2} y={AXIS_Y} textAnchor="middle" className="axis-type">
                  {e.type}
                </text>
              )}
              {timed && (
                <text x={x(step) + STEP / 2} y={AXIS_Y + 15} textAnchor="middle">
                  {seconds[step]}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
