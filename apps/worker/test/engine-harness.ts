// A real engine for tests: a simulated fleet (agent processes), the inventory in
// PostgreSQL, a worker on the test's own task queue, and a Temporal client.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { campaignInputFromPlan } from '@bankswitch/app';
import { planCampaign, validateCampaignSpec } from '@bankswitch/campaign-spec';
import { createHostDriver, type HostDriver } from '@bankswitch/host-driver';
import { createPrismaClient, type PrismaClient } from '@bankswitch/event-store';
import { openRecords, type BankswitchStore, type Records } from '@bankswitch/records';
import { temporal } from '@temporalio/proto';
import { campaignWorkflow, campaignWorkflowId, hostWorkflowId, type CampaignInput } from '@bankswitch/workflows';
import { hostRows, launchFleet, type Fleet, type FleetDriver, type FleetFaults } from '../../../tools/src/fleet/index';
import { createBankswitchWorker, type RunningWorker } from '../src/create-worker';

export const OLD_BUILD = '8.0.2-0.0.22380479';
export const NEW_BUILD = '8.0.3-0.0.24022510';

let runtimeInstalled = false;

export interface TestImage {
  readonly path: string;
  readonly sha256: string;
  readonly build: string;
}

export interface Harness {
  readonly fleet: Fleet;
  readonly prisma: PrismaClient;
  readonly records: Records;
  readonly store: BankswitchStore;
  readonly client: Client;
  readonly taskQueue: string;
  readonly image: TestImage;
  /** A driver for a host of the fleet, to read the host itself. */
  driver(hostId: string): HostDriver;
  /** Writes an image file for another build. */
  makeImage(build: string): TestImage;
  /** Builds the campaign input through the real spec validation and planner (target: `image` unless the spec names one). */
  campaign(spec: Record<string, unknown>): CampaignInput;
  launch(input: CampaignInput): Promise<WorkflowHandle<typeof campaignWorkflow>>;
  /**
   * With RECORD_HISTORIES=1, writes the histories of the campaign's workflow and of its
   * hosts' upgrade workflows to test/histories/ for the replay test; otherwise nothing.
   */
  recordHistories(scenario: string, input: CampaignInput): Promise<void>;
  startWorker(): Promise<RunningWorker>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(options: {
  clusters: { name: string; hosts: number }[];
  faults?: FleetFaults;
  rebootMs?: number;
  /** How the engine reaches the hosts (default http). */
  driver?: FleetDriver;
  /** The worker's BANKSWITCH_TRUSTED_IMAGE_KEYS (PEM files): with any, images must be signed. */
  trustedImageKeyPaths?: readonly string[];
}): Promise<Harness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bankswitch-engine-'));
  const fleet = await launchFleet({
    dir,
    clusters: options.clusters,
    faults: options.faults,
    rebootMs: options.rebootMs ?? 100,
    baseBuild: OLD_BUILD,
    previousBuild: '8.0.1-0.0.21495797',
    hostsPerProcess: 8,
    ...(options.driver ? { driver: options.driver } : {}),
  });
  const databaseUrl = process.env.DATABASE_URL!;
  const temporalAddress = process.env.TEMPORAL_ADDRESS!;
  const prisma = createPrismaClient(databaseUrl);
  const records = openRecords(prisma);
  const store = records.store;
  await prisma.host.createMany({
    data: hostRows(fleet.inventory),
    skipDuplicates: true,
  });
  const makeImage = (build: string): TestImage => {
    const payload = Buffer.from(`ESXi ${build} image\n`.repeat(4096));
    const imagePath = path.join(dir, `esxi-${build}.iso`);
    fs.writeFileSync(imagePath, payload);
    return { path: imagePath, sha256: createHash('sha256').update(payload).digest('hex'), build };
  };
  const image = makeImage(NEW_BUILD);
  const taskQueue = `test-${randomUUID()}`;
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  let worker: RunningWorker | undefined;
  let running: Promise<void> | undefined;
  // One driver per host, closed at the end: an SSH driver holds its connection open.
  const drivers = new Map<string, HostDriver>();

  const harness: Harness = {
    fleet,
    prisma,
    records,
    store,
    client,
    taskQueue,
    image,
    makeImage,
    driver(hostId) {
      const host = fleet.inventory.find((x) => x.id === hostId);
      if (!host) throw new Error(`no host ${hostId} in the test fleet`);
      const driver = drivers.get(hostId) ?? createHostDriver(host);
      drivers.set(hostId, driver);
      return driver;
    },
    campaign(spec) {
      const validated = validateCampaignSpec({ target: { build: image.build, payload: image.path, sha256: image.sha256 }, ...spec });
      if (!validated.ok) throw new Error(`bad test spec: ${JSON.stringify(validated.errors)}`);
      const planned = planCampaign(validated.spec, fleet.inventory);
      if (!planned.ok) throw new Error(`bad test plan: ${JSON.stringify(planned.errors)}`);
      return campaignInputFromPlan(validated.spec, planned.plan, { campaignId: `${validated.spec.name}-${randomUUID().slice(0, 8)}`, operator: 'test' });
    },
    launch(input) {
      return client.workflow.start(campaignWorkflow, { taskQueue, workflowId: campaignWorkflowId(input.campaignId), args: [input] });
    },
    async recordHistories(scenario, input) {
      if (!process.env.RECORD_HISTORIES) return;
      const dirOut = fileURLToPath(new URL('./histories/', import.meta.url));
      fs.mkdirSync(dirOut, { recursive: true });
      // Temporal's binary history format: the JSON helpers of the SDK trip over the two
      // copies of protobufjs that npm installs here.
      const save = async (workflowId: string) => {
        const history = await client.workflow.getHandle(workflowId).fetchHistory();
        fs.writeFileSync(path.join(dirOut, `${scenario}__${workflowId}.pb`), temporal.api.history.v1.History.encode(history).finish());
      };
      await save(campaignWorkflowId(input.campaignId));
      for (const hostId of Object.keys(input.clusters)) {
        // Hosts the campaign never started have no workflow.
        await save(hostWorkflowId(hostId)).catch(() => undefined);
      }
    },
    async startWorker() {
      worker = await createBankswitchWorker(
        { temporalAddress, namespace: 'default', taskQueue, databaseUrl, maxConcurrentActivities: 20, trustedImageKeyPaths: options.trustedImageKeyPaths ?? [] },
        { pollMs: 50 },
      );
      running = worker.run();
      return worker;
    },
    async stopWorker() {
      worker?.shutdown();
      await running;
      worker = undefined;
    },
    async stop() {
      await harness.stopWorker();
      for (const driver of drivers.values()) driver.close?.();
      await connection.close();
      await prisma.$disconnect();
      await fleet.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Event types of a stream, in order. */
export async function eventTypes(store: BankswitchStore, stream: string): Promise<string[]> {
  return (await store.readStream(stream)).map((e) => e.type);
}

/** The strategy most tests use: a canary, then the rest, two at a time, one failure allowed; `extra` overrides. */
export const testStrategy = (extra: Record<string, unknown> = {}) => ({
  canary: 1,
  waves: ['100%'],
  maxInFlight: 2,
  failureBudget: 1,
  pauseBetweenWaves: 'none',
  timeouts: { reboot: '10s' },
  ...extra,
});

/** Polls `probe` (its errors count as "not yet") until it gives a value. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
