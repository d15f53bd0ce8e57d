// Faults a simulated host can be told to show, per host or per image build.
import { z } from 'zod';

export const faultsSchema = z
  .object({
    /** Booting the new image (a DIRTY bank) panics; the next automatic boot falls back. */
    failBoot: z.boolean().optional(),
    /** Booting the new image (a DIRTY bank) hangs until an admin power-cycle. */
    hangOnBoot: z.boolean().optional(),
    /** The host boots, but /health reports a failed check. */
    failHealth: z.boolean().optional(),
    /** The next stage drops the connection half-way, leaving an incomplete stage behind. */
    crashMidStage: z.boolean().optional(),
    /** Extra time (ms) every stage takes (a large image over a slow link): the bank is written at its end. */
    slowStageMs: z.number().int().nonnegative().optional(),
    /** Entering maintenance mode takes this long (ms): the host's VMs are being evacuated. */
    evacuationMs: z.number().int().nonnegative().optional(),
    /** Entering maintenance mode fails: a VM cannot be evacuated. */
    failEvacuation: z.boolean().optional(),
    /** Extra time (ms) every reboot takes on top of the agent's reboot time. */
    slowRebootMs: z.number().int().nonnegative().optional(),
    /** Destroy requests' connections: each with a probability, and/or the next N. */
    dropConnections: z
      .object({ probability: z.number().min(0).max(1).optional(), next: z.number().int().nonnegative().optional() })
      .strict()
      .optional(),
  })
  .strict();
export type Faults = z.infer<typeof faultsSchema>;

export const FAULT_NAMES = ['failBoot', 'hangOnBoot', 'failHealth', 'crashMidStage', 'slowStageMs', 'slowRebootMs', 'evacuationMs', 'failEvacuation', 'dropConnections'] as const;

/** Faults that apply to a host running (or booting) `build`: the host's own win over the build's. */
export function effectiveFaults(hostFaults: Faults, buildFaults: Record<string, Faults>, build: string | null): Faults {
  const forBuild = build === null ? {} : (buildFaults[build] ?? {});
  return { ...forBuild, ...hostFaults };
}

/** Whether to drop this request, and the fault left afterwards (the `next` counter goes down). */
export function takeDrop(faults: Faults, random: number): { drop: boolean; faults: Faults } {
  const drop = faults.dropConnections;
  if (!drop) return { drop: false, faults };
  if (drop.next !== undefined && drop.next > 0) {
    const next = drop.next - 1;
    const rest = { ...drop, next };
    const left = next === 0 && rest.probability === undefined ? undefined : rest;
    return { drop: true, faults: { ...faults, dropConnections: left } };
  }
  return { drop: drop.probability !== undefined && random < drop.probability, faults };
}
