// deploy/ checked as far as it can be without a cluster or a systemd machine: the systemd
// units with `systemd-analyze verify`, the Kubernetes manifests decoded strictly with
// Kubernetes' own types (tools/k8s-check), the environment they give the worker and the
// API read by the programs' own configuration parsers, and the values for Temporal's Helm
// chart against the chart's values.yaml, their dynamic config by the Temporal server's own
// validator.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { appConfigFromEnv } from '@bankswitch/app';
import { workerConfigFromEnv } from '@bankswitch/worker';
import { workspaceRoot } from '../local-stack/paths';
import { ensureTemporalServer } from '../local-stack/temporal-full-server';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../local-stack/temporal-server';
import { ensureK8sCheck } from './k8s-check';

const deploy = path.join(workspaceRoot, 'deploy');
const read = (file: string) => fs.readFileSync(path.join(deploy, file), 'utf8');

/** KEY=VALUE lines of an EnvironmentFile (comments and blank lines skipped). */
function envFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of read(file).split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}

describe('systemd units', () => {
  const units = fs.readdirSync(path.join(deploy, 'systemd'));

  test('pass systemd-analyze verify', () => {
    expect(units.sort()).toEqual(['bankswitch-api.service', 'bankswitch-migrate.service', 'bankswitch-worker@.service']);
    // A copy, with the paths that exist on a Bankswitch machine but not on this one named
    // after what is here: node where this test runs (verify checks ExecStart's program).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-units-'));
    try {
      for (const unit of units) {
        const text = fs.readFileSync(path.join(deploy, 'systemd', unit), 'utf8');
        fs.writeFileSync(path.join(dir, unit), fs.existsSync('/usr/bin/node') ? text : text.replaceAll('/usr/bin/node', process.execPath));
      }
      const result = spawnSync('systemd-analyze', ['verify', './bankswitch-api.service', './bankswitch-worker@1.service', './bankswitch-migrate.service'], { cwd: dir, encoding: 'utf8' });
      expect(result.error, 'systemd-analyze is part of Debian\'s systemd package (tools/scripts/ensure-system-packages.sh)').toBeUndefined();
      // Unknown keys are only warnings for systemd: any output counts as a failure here.
      expect({ status: result.status, output: (result.stdout + result.stderr).trim() }).toEqual({ status: 0, output: '' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('run the programs of this repository with the example environment files', () => {
    for (const unit of units) {
      const text = fs.readFileSync(path.join(deploy, 'systemd', unit), 'utf8');
      const program = /^ExecStart=\/usr\/bin\/node --import tsx (\S+)$/m.exec(text)?.[1];
      expect(program && fs.existsSync(path.join(workspaceRoot, program)), `${unit} runs ${program}`).toBe(true);
      for (const [, file] of text.matchAll(/^EnvironmentFile=-?\/etc\/bankswitch\/(\w+)\.env$/gm)) expect(fs.existsSync(path.join(deploy, 'env', `${file}.env`))).toBe(true);
    }
    const worker = workerConfigFromEnv(envFile('env/worker.env'));
    expect(worker).toMatchObject({ taskQueue: 'bankswitch', namespace: 'default', maxConcurrentActivities: 64, driftWatchEveryMs: 15 * 60_000 });
    const api = envFile('env/api.env');
    expect(appConfigFromEnv(api)).toMatchObject({ taskQueue: worker.taskQueue, namespace: worker.namespace, temporalAddress: worker.temporalAddress });
    expect(Number(api.BANKSWITCH_API_PORT)).toBeGreaterThan(0);
  });
});

describe('Kubernetes manifests', () => {
  const dir = path.join(deploy, 'kubernetes/bankswitch');
  const kustomization = parse(read('kubernetes/bankswitch/kustomization.yaml')) as { resources: string[]; images: { name: string }[] };
  const documents = kustomization.resources.flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((d) => d.toJS() as Manifest));

  test("decode strictly with Kubernetes' own types", async () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect(kustomization.resources.sort()).toEqual(files.sort());
    const check = await ensureK8sCheck();
    const result = spawnSync(check, files.map((f) => path.join(dir, f)), { encoding: 'utf8' });
    expect(result.stdout, result.stdout + result.stderr).not.toMatch(/error|unknown/i);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(documents.length);
  }, 300_000);

  test('give the worker, the API and the migration Job a complete configuration and programs that exist', () => {
    const configMap = documents.find((d) => d.kind === 'ConfigMap')!;
    const workloads = documents.filter((d) => d.kind === 'Deployment' || d.kind === 'Job');
    expect(workloads.map((d) => d.metadata.name).sort()).toEqual(['bankswitch-api', 'bankswitch-migrate', 'bankswitch-worker']);
    for (const workload of workloads) {
      const pod = workload.spec.template;
      if (workload.kind === 'Deployment') expect(pod.metadata.labels).toMatchObject(workload.spec.selector.matchLabels);
      const container = pod.spec.containers[0]!;
      expect(kustomization.images.map((i) => i.name)).toContain(container.image);
      expect(container.command.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
      expect(fs.existsSync(path.join(workspaceRoot, container.command[3]!)), container.command[3]).toBe(true);
      expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }, { secretRef: { name: 'bankswitch-database' } }]);
      // What the container's environment holds (the Secret gives DATABASE_URL), read by the programs' own parsers.
      const env = { ...configMap.data, DATABASE_URL: 'postgresql://bankswitch:secret@db:5432/bankswitch', ...Object.fromEntries((container.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value])) };
      if (workload.metadata.name === 'bankswitch-worker') expect(workerConfigFromEnv(env)).toMatchObject({ http: { host: '0.0.0.0', port: 9464 } });
      else expect(appConfigFromEnv(env).taskQueue).toBe('bankswitch');
    }
    const pdb = documents.find((d) => d.kind === 'PodDisruptionBudget')!;
    const worker = workloads.find((d) => d.metadata.name === 'bankswitch-worker')!;
    expect(pdb.spec.selector.matchLabels).toEqual(worker.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeLessThan(worker.spec.replicas);
  });
});

describe("values for Temporal's Helm chart", () => {
  const chartText = read('kubernetes/temporal/chart-1.6.0-values.yaml');
  const chart = parse(chartText) as Tree;
  const ours = parse(read('kubernetes/temporal/values.yaml')) as Tree;
  // Read by the chart's templates (server-dynamicconfigmap.yaml) without a default in values.yaml.
  const readByTemplatesOnly = ['server.dynamicConfig'];
  // A datastore's fields are documented in values.yaml only in the commented example `# sql:`.
  const sqlFields = documentedSqlFields(chartText);

  test('set only keys the chart has', () => {
    expect(sqlFields).toEqual(expect.arrayContaining(['pluginName', 'databaseName', 'connectAddr', 'user', 'existingSecret', 'createDatabase', 'manageSchema']));
    const unknown: string[] = [];
    walk(ours, [], (keyPath, value) => {
      const joined = keyPath.join('.');
      if (readByTemplatesOnly.some((prefix) => joined === prefix || joined.startsWith(`${prefix}.`))) return 'skip';
      const datastore = /^server\.config\.persistence\.datastores\.([^.]+)(?:\.sql(?:\.([^.]+))?)?$/.exec(joined);
      if (datastore) {
        if (datastore[2] !== undefined && !sqlFields.includes(datastore[2])) unknown.push(joined);
        return datastore[2] !== undefined ? 'skip' : 'descend';
      }
      if (!has(chart, keyPath)) unknown.push(joined);
      return Array.isArray(value) ? 'skip' : 'descend';
    });
    expect(unknown).toEqual([]);
  });

  test('name stores that exist, PostgreSQL for both, and the namespace Bankswitch uses', () => {
    const persistence = (ours.server as Tree).config as Tree;
    const p = persistence.persistence as { defaultStore: string; visibilityStore: string; datastores: Record<string, { sql?: { pluginName: string; existingSecret?: string } }> };
    for (const store of [p.defaultStore, p.visibilityStore]) {
      expect(p.datastores[store]?.sql?.pluginName).toBe('postgres12');
      expect(p.datastores[store]?.sql?.existingSecret).toBeTruthy();
    }
    const namespaces = (persistence.namespaces as { namespace: { name: string }[] }).namespace.map((n) => n.name);
    const configMap = parse(read('kubernetes/bankswitch/configmap.yaml')) as { data: Record<string, string> };
    expect(namespaces).toContain(configMap.data.TEMPORAL_NAMESPACE);
    // The frontend the chart makes for a release named "temporal" in the namespace "temporal".
    expect(configMap.data.TEMPORAL_ADDRESS).toBe(`temporal-frontend.temporal.svc:${((chart.server as Tree).frontend as { service: { port: number } }).service.port}`);
  });

  // The server only warns of a key it does not know (a typo is a setting silently not set)
  // and exits 0, so its output is checked too. The local stacks' settings with it: the
  // production stack's file and the dev server's flags.
  test("give the server dynamic config it knows, as the local stacks do", async () => {
    const { server } = await ensureTemporalServer(() => {});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-dynamic-config-'));
    try {
      const helm = path.join(dir, 'helm-dynamic-config.yaml');
      fs.writeFileSync(helm, stringify((ours.server as Tree).dynamicConfig));
      const local = path.join(workspaceRoot, 'tools/src/local-stack/temporal-server-config/dynamic-config.yaml');
      const dev = path.join(dir, 'dev-server-dynamic-config.yaml');
      fs.writeFileSync(dev, stringify(Object.fromEntries(Object.entries(DEV_SERVER_DYNAMIC_CONFIG).map(([key, value]) => [key, [{ value }]]))));
      for (const file of [helm, local, dev]) {
        const result = spawnSync(server, ['validate-dynamic-config', file], { encoding: 'utf8' });
        expect(result.status, result.stderr).toBe(0);
        expect(`${result.stdout}${result.stderr}`).not.toMatch(/warning|error/i);
      }
      const keys = (file: string) => Object.keys(parse(fs.readFileSync(file, 'utf8')) as Tree);
      expect(keys(helm)).toContain('system.enableActivityEagerExecution');
      expect(keys(local)).toEqual(expect.arrayContaining(keys(helm)));
      expect(keys(dev)).toContain('system.enableActivityEagerExecution');
      // A key the server does not know is caught: the check above can fail.
      const typo = path.join(dir, 'typo.yaml');
      fs.writeFileSync(typo, 'system.enableActivityEagerExecutio:\n  - value: true\n');
      expect(spawnSync(server, ['validate-dynamic-config', typo], { encoding: 'utf8' }).stdout).toMatch(/warning: unregistered key/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});

interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest's spec is whatever its kind says
  spec: any;
}
type Tree = Record<string, unknown>;

function has(tree: unknown, keyPath: readonly string[]): boolean {
  let node = tree;
  for (const key of keyPath) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(key in node)) return false;
    node = (node as Tree)[key];
  }
  return true;
}

function walk(tree: Tree, prefix: string[], visit: (keyPath: string[], value: unknown) => 'descend' | 'skip'): void {
  for (const [key, value] of Object.entries(tree)) {
    const keyPath = [...prefix, key];
    if (visit(keyPath, value) === 'descend' && value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value as Tree, keyPath, visit);
  }
}

/** The fields of the commented `# sql:` example under `datastores: default:` in the chart's values.yaml. */
function documentedSqlFields(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^\s*# sql:\s*$/.test(line));
  const fields: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const field = /^\s*#\s{3}([A-Za-z]\w*):/.exec(line);
    if (field) fields.push(field[1]!);
    else if (!/^\s*#\s{3,}/.test(line)) break;
  }
  return fields;
}
