import { toApiError } from '../cli/api/api-error.js';
import type { Taint } from '../lib/model/node.js';
import type { AgentHttpClient } from './agent-http-client.js';
import { readAgentPods } from './agent-pod.js';
import type { HostFacts } from './host-facts.js';
import type { AgentApi, AgentPodReport } from './node-agent.js';

/** The agent's calls to the everynode API, all on its own node's routes (an IAM policy can scope them to it). */
export class HttpAgentApi implements AgentApi {
  readonly #client: AgentHttpClient;
  readonly #path: string;

  constructor(client: AgentHttpClient, nodeName: string) {
    this.#client = client;
    this.#path = `/v1/nodes/${encodeURIComponent(nodeName)}`;
  }

  async listPods() {
    return readAgentPods(await this.#client.get(`${this.#path}/pods`));
  }

  async report(report: AgentPodReport): Promise<void> {
    const response = await this.#client.send('POST', `${this.#path}/pods/status`, report);
    // A report for a pod the control plane has since replaced is refused (422): the next poll corrects it.
    if (response.status === 422 || (response.status >= 200 && response.status < 300)) return;
    throw toApiError(response.status, response.body, this.#client.endpoint);
  }

  /** Renews the node's heartbeat; resolves to false when the node is gone (removed while the agent ran). */
  async heartbeat(): Promise<boolean> {
    const response = await this.#client.send('PUT', `${this.#path}/heartbeat`);
    if (response.status === 404) return false;
    if (response.status >= 200 && response.status < 300) return true;
    throw toApiError(response.status, response.body, this.#client.endpoint);
  }

  /**
   * Registers the node as the kubelet does: a new node gets the host's labels, the given labels and taints,
   * and Ready; a node that exists keeps its taints and labels (someone may have cordoned or labelled it),
   * gains the host's labels and is Ready again.
   */
  async register(name: string, facts: HostFacts, labels: Readonly<Record<string, string>>, taints: readonly Taint[]) {
    const existing = (await this.#client.find(this.#path)) as
      | { metadata?: { labels?: Record<string, string> }; spec?: { taints?: Taint[]; unschedulable?: boolean } }
      | undefined;
    const ready = {
      type: 'Ready',
      status: 'True',
      reason: 'KubeletReady',
      message: 'everynode agent is posting ready status',
      lastTransitionTime: new Date().toISOString(),
    };
    const object = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { ...(existing?.metadata?.labels ?? {}), ...facts.labels, ...labels } },
      spec: {
        ...(facts.providerID === undefined ? {} : { providerID: facts.providerID }),
        taints: existing?.spec?.taints ?? taints,
        ...(existing?.spec?.unschedulable === true ? { unschedulable: true } : {}),
      },
      status: {
        allocatable: facts.allocatable,
        conditions: [ready],
        addresses: [{ type: 'InternalIP', address: facts.hostIP }],
      },
    };
    await this.#client.put(this.#path, object);
    return existing === undefined ? 'registered' : 'updated';
  }
}
