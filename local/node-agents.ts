import type { IngestMessage, IngestQueue } from '../lib/messages/ingest-message.js';
import { type DaemonSetKey, fromDaemonSetKey } from '../lib/model/daemon-set.js';
import type { Node } from '../lib/model/node.js';
import type { Pod, PodStatusReport } from '../lib/model/pod.js';
import type { ClusterStore } from '../lib/ports/cluster-store.js';
import { podTemplateImages } from './pod-template-images.js';

export type NodeAgentsOptions = Readonly<{
  /** Read like a real agent reads the API: its node's desired pods, and revisions for their images. */
  store: Pick<ClusterStore, 'listDaemonSetKeys' | 'loadSnapshot' | 'listRevisions'>;
  /**
   * Where reports go: the same `PodStatusReported` facts `POST /v1/pods/status` enqueues. An in-process queue that
   * can say which of its messages it still holds (`QueueReceipts`) has no report sent again while it holds it.
   */
  ingest: IngestQueue & Partial<QueueReceipts>;
  /** Time from first seeing a pod to reporting it Running and Ready. @default 500 */
  readyDelayMs?: number;
  /** Time from seeing a pod terminating to confirming it gone. @default readyDelayMs / 2 */
  terminationDelayMs?: number;
  /** Pods with any of these container images crash-loop: Running, never Ready. */
  failImages?: readonly string[];
  /** Safety-net poll, for changes nobody pokes about. @default 1000 */
  pollIntervalMs?: number;
  /** Epoch ms. @default Date.now */
  now?: () => number;
  log?: (line: string) => void;
  onError?: (error: unknown) => void;
}>;

/** What an in-process queue can tell of what it was sent: each message's id, and whether it still holds one. */
export type QueueReceipts = Readonly<{
  /** Sends like `IngestQueue.send`, and returns the id of each message, in order. */
  sendTracked: (messages: readonly IngestMessage[]) => Promise<readonly string[]>;
  /** The queue still holds the message: not yet handled (queued, delayed or in flight), nor parked. */
  holds: (messageId: string) => boolean;
}>;

type Target = Readonly<{ phase: PodStatusReport['phase']; ready: boolean; gone: boolean }>;

type Tracked = {
  firstSeenAt: number;
  lastReport?: string;
  lastReportAt?: number;
  /** Times the same report was sent again without showing up in the store. */
  resends?: number;
  /** The last report's message, while the queue can say whether it still holds it. */
  messageId?: string | undefined;
  crashLogged?: boolean;
  wakeAt?: number;
  readySince?: string;
};

/**
 * A report that has not shown up in the store after this long is sent again (it may have been lost), and each
 * further time after twice as long, up to a minute: a busy ingest queue is slow, not lossy, and copies of
 * reports it still holds would only slow it down more. A queue that says it still holds the report
 * (`QueueReceipts`) is not sent a copy at all: at 10,000 nodes a rollout's reports wait longer than 5 s behind
 * each other, and the copies made the queue longer still (the rollout waited 71 s behind them to begin).
 */
const RESEND_AFTER_MS = 5_000;
const RESEND_AFTER_MAX_MS = 60_000;

/**
 * Simulated node agents, one per node: each takes its node's desired pods to Running and Ready after a
 * delay, confirms terminating pods gone, and crash-loops pods whose image is in `failImages` (Running,
 * never Ready, so a rollout's progress deadline and auto-revert can be watched). They decide from what
 * the store says and report through the ingest queue exactly as a real agent would, so everything
 * downstream runs the production path.
 */
export class NodeAgents {
  readonly #options: NodeAgentsOptions;
  readonly #readyDelayMs: number;
  readonly #terminationDelayMs: number;
  readonly #failImages: ReadonlySet<string>;
  readonly #now: () => number;
  readonly #tracked = new Map<string, Tracked>();
  /** Pods (the very objects the store handed out) the store showed as their agents would report them. */
  readonly #settled = new WeakSet<Pod>();
  readonly #images = new Map<string, readonly string[]>();
  readonly #wakeups = new Set<NodeJS.Timeout>();
  #poll: NodeJS.Timeout | undefined;
  #running = false;
  #sync: Promise<void> | undefined;
  #again = false;

  constructor(options: NodeAgentsOptions) {
    this.#options = options;
    this.#readyDelayMs = options.readyDelayMs ?? 500;
    this.#terminationDelayMs = options.terminationDelayMs ?? Math.floor(this.#readyDelayMs / 2);
    this.#failImages = new Set(options.failImages ?? []);
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    this.#running = true;
    this.#poll = setInterval(() => this.poke(), this.#options.pollIntervalMs ?? 1000);
    this.#poll.unref();
    this.poke();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#poll !== undefined) clearInterval(this.#poll);
    for (const timer of this.#wakeups) clearTimeout(timer);
    this.#wakeups.clear();
    await this.#sync;
  }

  /** Asks every agent to look at its node now; calls during a sync coalesce into one more sync. */
  poke(): void {
    if (!this.#running) return;
    if (this.#sync !== undefined) {
      this.#again = true;
      return;
    }
    this.#sync = this.#runSyncs().finally(() => {
      this.#sync = undefined;
    });
  }

  /** One pass over every node, reporting what changed. Exposed for tests. */
  async syncOnce(): Promise<void> {
    const now = this.#now();
    const seen = new Set<string>();
    const reports: Readonly<{ report: PodStatusReport; tracked: Tracked }>[] = [];
    // Every agent watches its own node; together they see every DaemonSet's pods on a node that exists. The
    // store given is a warm one of their own (its snapshots read what changed since the last look), so a sync
    // costs what changed, not a query per node or the whole fleet again.
    const { store } = this.#options;
    const keys = await store.listDaemonSetKeys();
    const snapshots = await Promise.all(keys.map(async (key) => [key, await store.loadSnapshot(key)] as const));
    for (const [daemonSet, snapshot] of snapshots) {
      if (snapshot === undefined) continue;
      const nodes = namesOf(snapshot.nodes);
      for (const pod of snapshot.pods) {
        if (!nodes.has(pod.nodeName)) continue;
        seen.add(pod.name);
        // The store's warm snapshots hand out an unchanged pod as the same object: one the store already showed
        // as its agent would report it, for good, needs no look until it changes.
        if (this.#settled.has(pod)) continue;
        const decided = await this.#decide({ ...pod, daemonSet }, now);
        if (decided === 'settled') this.#settled.add(pod);
        else if (decided !== undefined) reports.push(decided);
      }
    }
    for (const name of this.#tracked.keys()) if (!seen.has(name)) this.#tracked.delete(name);
    if (reports.length === 0) return;
    const messages = reports.map(({ report }): IngestMessage => ({ type: 'PodStatusReported', report }));
    const { ingest } = this.#options;
    if (ingest.sendTracked === undefined) return ingest.send(messages);
    const ids = await ingest.sendTracked(messages);
    reports.forEach(({ tracked }, index) => {
      tracked.messageId = ids[index];
    });
  }

  async #runSyncs(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.syncOnce();
      } catch (error) {
        this.#options.onError?.(error);
      }
    } while (this.#again && this.#running);
  }

  /**
   * The report to send for the pod now, with what its agent keeps of it; nothing when there is none to send, and
   * `settled` when the store shows the pod as its agent would report it until the pod itself changes.
   */
  async #decide(
    pod: Pod & Readonly<{ daemonSet: DaemonSetKey }>,
    now: number,
  ): Promise<Readonly<{ report: PodStatusReport; tracked: Tracked }> | 'settled' | undefined> {
    let tracked = this.#tracked.get(pod.name);
    if (tracked === undefined) {
      // A pod already running (the control plane restarted) does not start over.
      const running = pod.scheduled && pod.phase === 'Running';
      tracked = { firstSeenAt: running ? now - this.#readyDelayMs : now };
      this.#tracked.set(pod.name, tracked);
    }
    const target = await this.#target(pod, tracked, now);
    if (target === undefined) return undefined;
    const key = `${target.phase}/${target.ready}/${target.gone}`;
    const stored = !target.gone && pod.scheduled && pod.phase === target.phase && pod.ready === target.ready;
    // Running (Ready, or crash-looping) stays the target until the pod changes; Pending ends with a delay.
    if (stored) return target.phase === 'Running' ? 'settled' : undefined;
    const same = tracked.lastReport === key;
    const wait = Math.min(RESEND_AFTER_MAX_MS, RESEND_AFTER_MS * 2 ** (same ? (tracked.resends ?? 0) : 0));
    // A report the queue still holds is on its way: the wait for it to show counts from when it left the queue.
    if (same && tracked.messageId !== undefined && this.#options.ingest.holds?.(tracked.messageId) === true) {
      tracked.lastReportAt = now;
      return undefined;
    }
    const resend = tracked.lastReportAt === undefined || now - tracked.lastReportAt >= wait;
    if (same && !resend) return undefined;
    tracked.resends = same ? (tracked.resends ?? 0) + 1 : 0;
    tracked.lastReport = key;
    tracked.lastReportAt = now;
    if (target.ready) tracked.readySince ??= new Date(now).toISOString();
    const { namespace, name: daemonSet } = fromDaemonSetKey(pod.daemonSet);
    const report = {
      namespace,
      daemonSet,
      podName: pod.name,
      nodeName: pod.nodeName,
      revisionHash: pod.revisionHash,
      phase: target.phase,
      ready: target.ready,
      ...(target.ready && tracked.readySince !== undefined ? { readySince: tracked.readySince } : {}),
      observedAt: new Date(now).toISOString(),
      ...(target.gone ? { gone: true } : {}),
    };
    return { report, tracked };
  }

  /** What the pod should be reported as now, or nothing while its delay runs. */
  async #target(
    pod: Pod & Readonly<{ daemonSet: DaemonSetKey }>,
    tracked: Tracked,
    now: number,
  ): Promise<Target | undefined> {
    if (pod.deletionTimestamp !== undefined) {
      const since = Math.max(tracked.firstSeenAt, Date.parse(pod.deletionTimestamp) || 0);
      if (now - since < this.#terminationDelayMs) {
        this.#wakeAt(tracked, since + this.#terminationDelayMs, now);
        return undefined;
      }
      return { phase: 'Succeeded', ready: false, gone: true };
    }
    if (now - tracked.firstSeenAt < this.#readyDelayMs) {
      // Accepted by the node, containers starting (kubelet's ContainerCreating): scheduled, Pending.
      this.#wakeAt(tracked, tracked.firstSeenAt + this.#readyDelayMs, now);
      return { phase: 'Pending', ready: false, gone: false };
    }
    const images = await this.#imagesOf(pod);
    if (images === undefined) return undefined;
    const failing = images.find((image) => this.#failImages.has(image));
    if (failing === undefined) return { phase: 'Running', ready: true, gone: false };
    if (tracked.crashLogged !== true) {
      tracked.crashLogged = true;
      this.#options.log?.(`${pod.nodeName}: pod ${pod.name} is crash-looping (image ${failing})`);
    }
    return { phase: 'Running', ready: false, gone: false };
  }

  async #imagesOf(pod: Pod & Readonly<{ daemonSet: DaemonSetKey }>): Promise<readonly string[] | undefined> {
    const cacheKey = `${pod.daemonSet}@${pod.revisionHash}`;
    const cached = this.#images.get(cacheKey);
    if (cached !== undefined) return cached;
    for (const revision of await this.#options.store.listRevisions(pod.daemonSet)) {
      this.#images.set(`${pod.daemonSet}@${revision.hash}`, podTemplateImages(revision.template));
    }
    // A pod can be read before its revision is visible; the next sync finds it.
    return this.#images.get(cacheKey);
  }

  /** Schedules one poke for when a pod's delay ends. */
  #wakeAt(tracked: Tracked, at: number, now: number): void {
    if (tracked.wakeAt === at) return;
    tracked.wakeAt = at;
    const timer = setTimeout(
      () => {
        this.#wakeups.delete(timer);
        this.poke();
      },
      Math.max(0, at - now) + 5,
    );
    timer.unref();
    this.#wakeups.add(timer);
  }
}

/** The names of a fleet listing, kept while the store hands out the same listing (an unchanged fleet). */
const nodeNames = new WeakMap<readonly Node[], ReadonlySet<string>>();

function namesOf(nodes: readonly Node[]): ReadonlySet<string> {
  let names = nodeNames.get(nodes);
  if (names === undefined) {
    names = new Set(nodes.map((node) => node.name));
    nodeNames.set(nodes, names);
  }
  return names;
}
