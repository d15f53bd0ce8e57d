import { z } from 'zod';
import { uniqueList } from './primitives';

const nonEmpty = z.string().trim().min(1, { error: 'must not be empty' });
const labelValue = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string' }).transform(String);

export const hostsSchema = z
  .strictObject({
    names: uniqueList(nonEmpty, (name) => name).optional().describe('Host names or ids'),
    clusters: uniqueList(nonEmpty, (name) => name).optional().describe('Cluster names'),
    labels: z.record(z.string(), labelValue).optional().describe('Every key/value must match'),
  })
  .superRefine((hosts, ctx) => {
    const labels = hosts.labels === undefined ? 0 : Object.keys(hosts.labels).length;
    if (hosts.names === undefined && hosts.clusters === undefined && labels === 0) {
      ctx.addIssue({ code: 'custom', message: 'select hosts with at least one of names, clusters or labels' });
    }
  })
  .describe('Which hosts the campaign upgrades; every selector given must match (AND)');
