import { z } from 'zod';
import { atMost, SPEC_LIMITS as L } from './limits';
import { uniqueList } from './primitives';

const name = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max, atMost(max));
const labelValue = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string' }).transform(String);

/** Label keys and values as the inventory bounds them. */
const labels = z.record(z.string(), labelValue).superRefine((entries, ctx) => {
  const keys = Object.keys(entries);
  if (keys.length > L.labels) ctx.addIssue({ code: 'custom', message: `${keys.length} labels; at most ${L.labels}` });
  for (const [key, value] of Object.entries(entries)) {
    if (key.length > L.labelKey) ctx.addIssue({ code: 'custom', path: [key], message: `a label key has at most ${L.labelKey} characters (this one has ${key.length})` });
    else if (value.length > L.labelValue) ctx.addIssue({ code: 'custom', path: [key], message: `a label value has at most ${L.labelValue} characters (this one has ${value.length})` });
  }
});

export const hostsSchema = z
  .strictObject({
    names: uniqueList(name(L.hostRef), (ref) => ref, L.hostRefs).optional().describe('Host names or ids'),
    clusters: uniqueList(name(L.cluster), (cluster) => cluster, L.clusters).optional().describe('Cluster names'),
    labels: labels.optional().describe('Every key/value must match'),
  })
  .superRefine((hosts, ctx) => {
    const labels = hosts.labels === undefined ? 0 : Object.keys(hosts.labels).length;
    if (hosts.names === undefined && hosts.clusters === undefined && labels === 0) {
      ctx.addIssue({ code: 'custom', message: 'select hosts with at least one of names, clusters or labels' });
    }
  })
  .describe('Which hosts the campaign upgrades; every selector given must match (AND)');
