import { mkdir, rm } from 'node:fs/promises';
import type { JsonObject } from '../lib/model/daemon-set.js';
import { type AgentPod, objectAt, objectsAt } from './agent-pod.js';
import type { ChangeSource } from './change-source.js';
import {
  assertRunnable,
  containerConfig,
  emptyDirFolder,
  type HostContext,
  sandboxConfig,
  UnsupportedPodError,
} from './container-config.js';
import { containerName, LABELS, SANDBOX_CONTAINER_NAME } from './container-labels.js';
import { type BackoffLimits, CRASH_LOOP_BACKOFF, crashLoopDelayMs } from './crash-loop-backoff.js';
import type { ContainerInspect, ContainerSummary, DockerApi } from './docker-api.js';
import { imageToPull } from './image-pull-policy.js';
import { probeTiming, runProbe } from './run-probe.js';

/** What the agent sends for one pod (`POST /v1/nodes/{name}/pods/status`, `observedAt` set by the API). */
export type AgentPodReport = Readonly<{
  namespace: string;
  daemonSet: string;
  podName: string;
  revisionHash: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready: boolean;
  readySince?: string;
  restartCount?: number;
  reason?: string;
  message?: string;
  gone?: boolean;
}>;

/** The control plane as the agent uses it. */
export type AgentApi = Readonly<{
  listPods(): Promise<AgentPod[]>;
  report(report: AgentPodReport): Promise<void>;
}>;

export type NodeAgentOptions = Readonly<{
  nodeName: string;
  api: AgentApi;
  docker: DockerApi;
  host: HostContext;
  /** How often the desired pods are read from the API (while `changes` is not connected). @default 2000 */
  pollIntervalMs?: number;
  /** Notices of pod changes: the pods are read at once on each, and only every `fallbackPollIntervalMs` otherwise. */
  changes?: ChangeSource;
  /** How often the pods are read while `changes` is connected, for notices lost on the way. @default 300000 (5 min; the CLI passes 30 min) */
  fallbackPollIntervalMs?: number;
  /**
   * How often containers and probes are looked at: the kubelet's PLEG relists its containers every second too. Half
   * a second cost ~3 MB of resident memory (the agent's aim is 60 MB with 10 pods) for no visible gain. @default 1000
   */
  syncIntervalMs?: number;
  /** @default Kubernetes' 10 s doubling to 5 min */
  backoff?: BackoffLimits;
  /** @default Date.now */
  now?: () => number;
  log?: (line: string) => void;
}>;

type ProbeState = {
  successes: number;
  failures: number;
  ok: boolean;
  nextAt: number;
  inFlight: boolean;
  lastFailure?: string;
};

type PodState = {
  busy: boolean;
  /** When its last sync ended (performance.now()): a container list taken before that is stale for this pod. */
  syncedAt: number;
  readySince?: string;
  lastSent?: string;
  lastSentAt?: number;
  /** containerId → probe state, per kind. */
  readiness: Map<string, ProbeState>;
  liveness: Map<string, ProbeState>;
  killing: Set<string>;
  pullFailures: Map<string, string>;
};

/**
 * A pod's sandbox: its id, its address once known, and when it has started (the reason, if it could not), and the
 * pod's other containers.
 */
type Sandbox = Readonly<{
  id: string;
  address: string | undefined;
  started: Promise<{ reason: string; message: string } | undefined>;
  containers: readonly ContainerSummary[];
}>;

/** A container of the pod as Docker has it, newest run of each name. */
type Run = Readonly<{ summary: ContainerSummary; restartCount: number; inspect: ContainerInspect }>;

/** A report is sent again when the control plane still shows something else after this long. */
const RESEND_AFTER_MS = 5_000;
/** For this long after it starts, the agent reads its pods every `STARTUP_POLL_INTERVAL_MS` (its node just joined). */
const STARTUP_FAST_POLL_MS = 10_000;
const STARTUP_POLL_INTERVAL_MS = 250;
/** Grace for containers whose pod the control plane no longer lists (deleted while the agent was away). */
const ORPHAN_GRACE_SECONDS = 10;

/**
 * The node agent's control loop, as the kubelet's: reads its node's pods from the API, makes Docker run
 * exactly them (init containers in order, restarts with crash-loop back-off, probes), reports each pod's
 * status when it changes, and stops the containers of terminating pods (SIGTERM, grace, SIGKILL) before it
 * reports them gone. It keeps no state Docker does not hold: containers carry labels naming their node, pod,
 * container and restart count, so an agent that restarts adopts what runs instead of starting it again.
 */
export class NodeAgent {
  readonly #options: NodeAgentOptions;
  readonly #now: () => number;
  readonly #pods = new Map<string, PodState>();
  #desired: AgentPod[] | undefined;
  #lastPollAt = Number.NEGATIVE_INFINITY;
  #startedAt = Number.NEGATIVE_INFINITY;
  #pollFailures = 0;
  #timer: NodeJS.Timeout | undefined;
  #wake: () => void = () => {};
  #running = false;
  #tick: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  /** Inspections by container id, reused while Docker lists the container in the same state. */
  readonly #inspected = new Map<string, ContainerInspect>();

  constructor(options: NodeAgentOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    this.#running = true;
    this.#startedAt = this.#now();
    const loop = (): void => {
      if (!this.#running) return;
      this.#timer = undefined;
      this.#tick = this.syncOnce()
        .catch((error: unknown) => this.#log(`sync: ${describe(error)}`))
        .finally(() => {
          // The next look at Docker, or the next poll if that comes first (so polls keep their interval).
          const untilPoll = this.#lastPollAt + this.#pollWaitMs() - this.#now();
          const delay = Math.max(0, Math.min(this.#options.syncIntervalMs ?? 1000, untilPoll));
          if (this.#running) this.#timer = setTimeout(loop, delay);
        });
    };
    this.#wake = () => {
      // A notice: the next sync reads the pods; it starts now unless one is running (which then ends into it).
      this.#lastPollAt = Number.NEGATIVE_INFINITY;
      if (this.#running && this.#timer !== undefined) {
        clearTimeout(this.#timer);
        loop();
      }
    };
    this.#options.changes?.start(() => this.#wake());
    loop();
  }

  /** Stops the loop; the containers keep running (a restarted agent adopts them). */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#options.changes?.stop();
    await this.#tick;
  }

  /** Reads the desired pods when a poll is due, and drives every pod one step. */
  async syncOnce(): Promise<void> {
    const now = this.#now();
    if (this.#desired === undefined || now - this.#lastPollAt >= this.#pollWaitMs()) {
      this.#lastPollAt = now;
      try {
        this.#desired = await this.#options.api.listPods();
        if (this.#pollFailures > 0) this.#log('control plane reachable again');
        this.#pollFailures = 0;
      } catch (error) {
        this.#pollFailures += 1;
        if (this.#pollFailures === 1) this.#log(`cannot read pods (keeping what runs): ${describe(error)}`);
      }
    }
    if (this.#desired === undefined) return;
    const listedAt = performance.now();
    const containers = await this.#options.docker.listContainers([`${LABELS.node}=${this.#options.nodeName}`]);
    const byPod = new Map<string, ContainerSummary[]>();
    for (const container of containers) {
      const key = `${container.Labels[LABELS.namespace]}/${container.Labels[LABELS.pod]}`;
      byPod.set(key, [...(byPod.get(key) ?? []), container]);
    }
    const listed = new Set(containers.map((container) => container.Id));
    for (const id of this.#inspected.keys()) if (!listed.has(id)) this.#inspected.delete(id);
    const desiredKeys = new Set<string>();
    for (const pod of this.#desired) {
      const key = `${pod.namespace}/${pod.name}`;
      desiredKeys.add(key);
      const state = this.#stateOf(key);
      // A sync that ended while the list was taken may have started or removed containers the list missed.
      if (state.busy || state.syncedAt > listedAt) continue;
      state.busy = true;
      // Each pod moves on its own: a pod waiting out its grace period does not hold the others.
      this.#track(
        this.#syncPod(pod, state, byPod.get(key) ?? [])
          .catch((error: unknown) => this.#log(`pod ${key}: ${describe(error)}`))
          .finally(() => {
            state.busy = false;
            state.syncedAt = performance.now();
          }),
      );
    }
    for (const [key, orphans] of byPod) {
      if (desiredKeys.has(key)) continue;
      const state = this.#stateOf(key);
      if (state.busy || state.syncedAt > listedAt) continue;
      state.busy = true;
      this.#track(
        this.#removeAll(orphans, ORPHAN_GRACE_SECONDS)
          .then(() => this.#log(`removed the containers of pod ${key}, which the control plane no longer lists`))
          .catch((error: unknown) => this.#log(`pod ${key}: ${describe(error)}`))
          .finally(() => {
            state.busy = false;
            this.#pods.delete(key);
          }),
      );
    }
    for (const key of this.#pods.keys()) if (!desiredKeys.has(key) && !byPod.has(key)) this.#pods.delete(key);
  }

  /** Resolves once every pod sync and container removal started so far has ended (for tests and a clean stop). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  /** The poll interval; with the API unreachable, a back-off up to 30 s (what runs keeps running). */
  #pollWaitMs(): number {
    // Right after start (a node joining, or an agent restarting) its first pods are being decided: look often.
    const starting = this.#now() - this.#startedAt < STARTUP_FAST_POLL_MS;
    const pushed = this.#options.changes?.connected === true;
    const interval = Math.min(
      pushed ? (this.#options.fallbackPollIntervalMs ?? 300_000) : (this.#options.pollIntervalMs ?? 2000),
      starting && !pushed ? STARTUP_POLL_INTERVAL_MS : Number.POSITIVE_INFINITY,
    );
    return Math.min(interval * 2 ** this.#pollFailures, Math.max(interval, 30_000));
  }

  #stateOf(key: string): PodState {
    let state = this.#pods.get(key);
    if (state === undefined) {
      state = {
        busy: false,
        syncedAt: 0,
        readiness: new Map(),
        liveness: new Map(),
        killing: new Set(),
        pullFailures: new Map(),
      };
      this.#pods.set(key, state);
    }
    return state;
  }

  async #syncPod(pod: AgentPod, state: PodState, containers: readonly ContainerSummary[]): Promise<void> {
    if (pod.deletionTimestamp !== undefined) {
      const grace = gracePeriodSeconds(pod);
      if (containers.length > 0) this.#log(`stopping pod ${pod.namespace}/${pod.name} (grace ${grace}s)`);
      await this.#removeAll(containers, grace);
      await rm(`${this.#options.host.emptyDirRoot}/${emptyDirFolder(pod)}`, { recursive: true, force: true });
      await this.#send(pod, state, { phase: 'Succeeded', ready: false, gone: true });
      return;
    }
    try {
      assertRunnable(pod);
    } catch (error) {
      if (!(error instanceof UnsupportedPodError)) throw error;
      await this.#send(pod, state, { phase: 'Failed', ready: false, reason: error.reason, message: error.message });
      return;
    }
    let sandbox: Sandbox | undefined;
    let podAddress: string | undefined;
    let appRuns = containers;
    if (pod.spec['hostNetwork'] !== true) {
      const found = await this.#sandbox(pod, containers);
      if ('reason' in found) {
        await this.#send(pod, state, { phase: 'Pending', ready: false, ...found });
        return;
      }
      sandbox = found;
      podAddress = found.address;
      appRuns = found.containers;
    } else {
      appRuns = containers.filter((container) => !isSandbox(container));
    }
    const runs = await this.#newestRuns(appRuns);
    const restartPolicy = String(pod.spec['restartPolicy'] ?? 'Always');
    const initContainers = objectsAt(pod.spec, 'initContainers');
    let waiting: { reason: string; message: string } | undefined;
    let restartCount = 0;
    for (const [index, container] of initContainers.entries()) {
      const name = String(container['name']);
      const run = runs.get(`init/${name}`);
      restartCount += run?.restartCount ?? 0;
      if (run !== undefined && !run.inspect.State.Running && run.inspect.State.ExitCode === 0) continue;
      const reason = await this.#drive(pod, state, container, run, true, restartPolicy, sandbox);
      waiting = reason ?? { reason: 'PodInitializing', message: `Init:${index}/${initContainers.length}` };
      break;
    }
    const appContainers = objectsAt(pod.spec, 'containers');
    let allRunning = waiting === undefined;
    let allReady = waiting === undefined;
    let started = waiting === undefined;
    if (waiting === undefined) {
      for (const container of appContainers) {
        const name = String(container['name']);
        const run = runs.get(`app/${name}`);
        restartCount += run?.restartCount ?? 0;
        if (run === undefined) started = false;
        const reason = await this.#drive(pod, state, container, run, false, restartPolicy, sandbox);
        if (reason !== undefined) waiting ??= reason;
        const runningNow = run?.inspect.State.Running === true && reason === undefined;
        if (!runningNow) allRunning = false;
        if (!runningNow || !this.#probeReady(state, run, container)) allReady = false;
        if (runningNow) this.#probe(pod, state, run, container, podAddress);
      }
    }
    const ready = allRunning && allReady;
    if (ready) state.readySince ??= new Date(this.#now()).toISOString();
    else delete state.readySince;
    await this.#send(pod, state, {
      phase: started || restartCount > 0 ? 'Running' : 'Pending',
      ready,
      ...(state.readySince === undefined ? {} : { readySince: state.readySince }),
      restartCount,
      ...(waiting === undefined ? {} : waiting),
    });
  }

  /**
   * Makes one container run: creates and starts it when it has never run, restarts it after its crash-loop
   * back-off when it has exited (init containers that succeeded are left alone). Returns why it is not
   * running, when it is not.
   */
  async #drive(
    pod: AgentPod,
    state: PodState,
    container: JsonObject,
    run: Run | undefined,
    init: boolean,
    restartPolicy: string,
    sandbox: Sandbox | undefined,
  ): Promise<{ reason: string; message: string } | undefined> {
    const name = String(container['name']);
    if (run?.inspect.State.Running === true) return undefined;
    let restartCount = 0;
    if (run !== undefined) {
      const exit = run.inspect.State;
      if (restartPolicy === 'Never' || (restartPolicy === 'OnFailure' && exit.ExitCode === 0)) {
        return {
          reason: exit.ExitCode === 0 ? 'Completed' : 'Error',
          message: `container ${name} exited with code ${exit.ExitCode}`,
        };
      }
      const finished = Date.parse(exit.FinishedAt);
      const ranFor = finished - Date.parse(exit.StartedAt);
      const delay = crashLoopDelayMs(
        run.restartCount,
        Number.isFinite(ranFor) ? ranFor : 0,
        this.#options.backoff ?? CRASH_LOOP_BACKOFF,
      );
      const message = `back-off ${Math.round(delay / 1000)}s restarting failed container=${name} pod=${pod.name} (exit code ${exit.ExitCode}${exit.OOMKilled ? ', OOMKilled' : ''})`;
      if (this.#now() < finished + delay)
        return { reason: init ? 'Init:CrashLoopBackOff' : 'CrashLoopBackOff', message };
      restartCount = run.restartCount + 1;
    }
    const image = String(container['image']);
    try {
      if (await imageToPull(image, container['imagePullPolicy'], this.#options.docker)) {
        this.#log(`pulling ${image}`);
        await this.#options.docker.pullImage(image);
      }
      state.pullFailures.delete(name);
    } catch (error) {
      const message = describe(error);
      if (state.pullFailures.get(name) !== message) this.#log(`pod ${pod.namespace}/${pod.name}: ${message}`);
      state.pullFailures.set(name, message);
      return { reason: message.includes('ErrImageNeverPull') ? 'ErrImageNeverPull' : 'ErrImagePull', message };
    }
    const config = containerConfig(pod, container, { init, restartCount }, this.#options.host, sandbox?.id);
    await this.#prepareEmptyDirs(pod);
    const dockerName = containerName(this.#options.nodeName, pod, name, restartCount);
    let id: string;
    try {
      id = await this.#options.docker.createContainer(dockerName, config);
    } catch (error) {
      return { reason: 'CreateContainerError', message: describe(error) };
    }
    // A new sandbox starts while the container is created; the container starts in it once it runs.
    const sandboxFailure = await sandbox?.started;
    if (sandboxFailure !== undefined) return sandboxFailure;
    try {
      await this.#options.docker.startContainer(id);
    } catch (error) {
      return { reason: 'RunContainerError', message: describe(error) };
    }
    if (run !== undefined) await this.#options.docker.removeContainer(run.summary.Id);
    this.#log(
      `pod ${pod.namespace}/${pod.name}: started container ${name}${restartCount > 0 ? ` (restart ${restartCount})` : ''}`,
    );
    return undefined;
  }

  /**
   * The pod's running sandbox and its other containers; a sandbox is created and started when there is none.
   * A sandbox that stopped (killed, or the host rebooted) takes the pod's containers with it, as the kubelet's
   * "pod sandbox changed, it will be killed and re-created": they lost their network namespace. Containers that
   * run without one (started by an agent before sandboxes) are replaced the same way.
   */
  async #sandbox(
    pod: AgentPod,
    containers: readonly ContainerSummary[],
  ): Promise<Sandbox | { reason: string; message: string }> {
    const sandboxes = containers.filter(isSandbox);
    const others = containers.filter((container) => !isSandbox(container));
    const running = sandboxes.find((sandbox) => sandbox.State === 'running');
    if (running !== undefined) {
      const extra = sandboxes.filter((sandbox) => sandbox !== running);
      if (extra.length > 0) await this.#removeAll(extra, 0);
      // The pod's address (probes reach its containers there) is the sandbox's: one inspection while it runs.
      const inspect = this.#inspected.get(running.Id) ?? (await this.#options.docker.inspectContainer(running.Id));
      if (inspect !== undefined) this.#inspected.set(running.Id, inspect);
      const address = inspect === undefined ? undefined : containerAddress(inspect);
      return { id: running.Id, address, started: Promise.resolve(undefined), containers: others };
    }
    if (containers.length > 0) {
      this.#log(`pod ${pod.namespace}/${pod.name}: pod sandbox changed, it will be killed and re-created`);
      await this.#removeAll(containers, gracePeriodSeconds(pod));
    }
    const config = sandboxConfig(pod, this.#options.host);
    const image = String(config['Image']);
    try {
      if (await imageToPull(image, 'IfNotPresent', this.#options.docker)) {
        this.#log(`pulling ${image}`);
        await this.#options.docker.pullImage(image);
      }
      const id = await this.#options.docker.createContainer(
        containerName(this.#options.nodeName, pod, SANDBOX_CONTAINER_NAME, 0),
        config,
      );
      // Not awaited here: the pod's first container is created meanwhile (a start is most of a join's Docker time).
      const started = this.#options.docker.startContainer(id).then(
        () => {
          this.#log(`pod ${pod.namespace}/${pod.name}: started sandbox ${id.slice(0, 12)}`);
          return undefined;
        },
        (error: unknown) => ({
          reason: 'FailedCreatePodSandBox',
          message: `failed to start the pod sandbox: ${describe(error)}`,
        }),
      );
      return { id, address: undefined, started, containers: [] };
    } catch (error) {
      return { reason: 'FailedCreatePodSandBox', message: `failed to create the pod sandbox: ${describe(error)}` };
    }
  }

  async #prepareEmptyDirs(pod: AgentPod): Promise<void> {
    for (const volume of objectsAt(pod.spec, 'volumes')) {
      if (volume['emptyDir'] === undefined) continue;
      await mkdir(`${this.#options.host.emptyDirRoot}/${emptyDirFolder(pod)}/${String(volume['name'])}`, {
        recursive: true,
      });
    }
  }

  /** The newest run of each container of a pod (`init/<name>`, `app/<name>`); older runs are removed. */
  async #newestRuns(containers: readonly ContainerSummary[]): Promise<Map<string, Run>> {
    const newest = new Map<string, ContainerSummary>();
    const older: ContainerSummary[] = [];
    for (const container of containers) {
      const key = `${container.Labels[LABELS.init] === 'true' ? 'init' : 'app'}/${container.Labels[LABELS.container]}`;
      const current = newest.get(key);
      if (current === undefined || restartsOf(container) > restartsOf(current)) {
        if (current !== undefined) older.push(current);
        newest.set(key, container);
      } else older.push(container);
    }
    for (const stale of older) await this.#options.docker.removeContainer(stale.Id);
    const runs = new Map<string, Run>();
    for (const [key, summary] of newest) {
      // A container's start and exit times change only with its state: one inspection per state, not per look.
      const cached = this.#inspected.get(summary.Id);
      const inspect =
        cached !== undefined && cached.State.Running === (summary.State === 'running')
          ? cached
          : await this.#options.docker.inspectContainer(summary.Id);
      if (inspect === undefined) continue;
      this.#inspected.set(summary.Id, inspect);
      runs.set(key, { summary, restartCount: restartsOf(summary), inspect });
    }
    return runs;
  }

  /** Whether the container's readiness probe passes (a container without one is ready once running). */
  #probeReady(state: PodState, run: Run | undefined, container: JsonObject): boolean {
    if (run === undefined) return false;
    if (container['readinessProbe'] === undefined) return true;
    return state.readiness.get(run.summary.Id)?.ok === true;
  }

  /** Starts the readiness and liveness probes that are due; they report back into the pod's state. */
  #probe(pod: AgentPod, state: PodState, run: Run, container: JsonObject, podAddress: string | undefined): void {
    for (const kind of ['readiness', 'liveness'] as const) {
      const probe = objectAt(container, `${kind}Probe`);
      if (container[`${kind}Probe`] === undefined) continue;
      const timing = probeTiming(probe);
      const states = kind === 'readiness' ? state.readiness : state.liveness;
      let probeState = states.get(run.summary.Id);
      if (probeState === undefined) {
        const started = Date.parse(run.inspect.State.StartedAt);
        probeState = {
          successes: 0,
          failures: 0,
          ok: kind === 'liveness',
          nextAt: started + timing.initialDelayMs,
          inFlight: false,
        };
        states.set(run.summary.Id, probeState);
      }
      const current = probeState;
      if (current.inFlight || this.#now() < current.nextAt) continue;
      current.inFlight = true;
      const hostNetwork = pod.spec['hostNetwork'] === true;
      const address = hostNetwork ? '127.0.0.1' : (podAddress ?? containerAddress(run.inspect) ?? '127.0.0.1');
      void runProbe(probe, { containerId: run.summary.Id, container, address }, this.#options.docker, timing.timeoutMs)
        .then(async (failure) => {
          current.nextAt = this.#now() + timing.periodMs;
          if (failure === undefined) {
            current.successes += 1;
            current.failures = 0;
            if (current.successes >= timing.successThreshold) current.ok = true;
            return;
          }
          current.failures += 1;
          current.successes = 0;
          current.lastFailure = failure;
          if (current.failures < timing.failureThreshold) return;
          current.ok = false;
          if (kind === 'liveness' && !state.killing.has(run.summary.Id)) {
            state.killing.add(run.summary.Id);
            this.#log(
              `pod ${pod.namespace}/${pod.name}: container ${String(container['name'])} failed liveness probe (${failure}), will be restarted`,
            );
            await this.#options.docker.stopContainer(run.summary.Id, gracePeriodSeconds(pod));
          }
        })
        .catch((error: unknown) => this.#log(`probe: ${describe(error)}`))
        .finally(() => {
          current.inFlight = false;
        });
    }
  }

  /**
   * Stops containers (SIGTERM, then SIGKILL after the grace period), all at once, and removes them; the sandbox
   * last, once the containers in its network namespace are gone, and at once (it holds no work).
   */
  async #removeAll(containers: readonly ContainerSummary[], graceSeconds: number): Promise<void> {
    const remove = async (container: ContainerSummary, grace: number): Promise<void> => {
      if (container.State === 'running') await this.#options.docker.stopContainer(container.Id, grace);
      await this.#options.docker.removeContainer(container.Id);
    };
    await Promise.all(containers.filter((container) => !isSandbox(container)).map((c) => remove(c, graceSeconds)));
    await Promise.all(containers.filter(isSandbox).map((sandbox) => remove(sandbox, 0)));
  }

  /** Reports the pod when what it says differs from the last report, or the control plane still shows otherwise. */
  async #send(
    pod: AgentPod,
    state: PodState,
    status: Omit<AgentPodReport, 'namespace' | 'daemonSet' | 'podName' | 'revisionHash'>,
  ): Promise<void> {
    const report: AgentPodReport = {
      namespace: pod.namespace,
      daemonSet: pod.daemonSet,
      podName: pod.name,
      revisionHash: pod.revisionHash,
      ...status,
    };
    const { readySince: _time, ...content } = report;
    const key = JSON.stringify(content);
    const now = this.#now();
    const shown =
      pod.stored.phase === report.phase &&
      pod.stored.ready === report.ready &&
      (report.restartCount ?? 0) === (pod.stored.restartCount ?? 0);
    if (state.lastSent === key && ((report.gone !== true && shown) || now - (state.lastSentAt ?? 0) < RESEND_AFTER_MS))
      return;
    state.lastSent = key;
    state.lastSentAt = now;
    await this.#options.api.report(report);
  }

  #log(line: string): void {
    this.#options.log?.(`${this.#options.nodeName}: ${line}`);
  }
}

function isSandbox(container: ContainerSummary): boolean {
  return container.Labels[LABELS.sandbox] === 'true';
}

function restartsOf(container: ContainerSummary): number {
  const value = Number(container.Labels[LABELS.restartCount]);
  return Number.isInteger(value) ? value : 0;
}

function gracePeriodSeconds(pod: AgentPod): number {
  const value = pod.spec['terminationGracePeriodSeconds'];
  return typeof value === 'number' && value >= 0 ? value : 30;
}

function containerAddress(inspect: ContainerInspect): string | undefined {
  const direct = inspect.NetworkSettings.IPAddress;
  if (direct !== undefined && direct !== '') return direct;
  return Object.values(inspect.NetworkSettings.Networks ?? {}).find((network) => network.IPAddress)?.IPAddress;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
