import type { Command } from 'commander';
import type { AgentOptions } from '../agent/run-agent.js';
import { collect, optionsOf } from './command-options.js';

/** `agent`: run this host's pods in Docker as the node agent (the kubelet's job). */
export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('register this host as a node and run its DaemonSet pods in Docker (the node agent)')
    .requiredOption('--node-name <name>', 'the node name to register and run pods for')
    .option('--label <key=value>', 'a node label (repeatable)', collect)
    .option('--taint <key[=value]:Effect>', 'a taint on a new node (repeatable)', collect)
    .option('--runtime <runtime>', 'the container runtime', 'docker')
    .option('--poll-interval <duration>', 'how often the node reads its pods while nothing tells it of changes', '2s')
    .option('--heartbeat-interval <duration>', 'how often the node tells the control plane it is alive', '15s')
    .option(
      '--push <url>',
      "learn of pod changes from an MQTT broker: mqtt://host:port, or wss://<prefix>-ats.iot.<region>.amazonaws.com (AWS IoT Core, SigV4 with the host's AWS credentials); without it, from the control plane's held request where it serves one (the local control plane); off: poll only",
    )
    .option(
      '--fallback-poll-interval <duration>',
      'how often the node reads its pods while it is told of changes (and, with an MQTT --push, heartbeats)',
      '30m',
    )
    .option('--docker-socket <path>', 'the Docker Engine API socket (or DOCKER_SOCKET)')
    .option('--pod-network <network>', 'the Docker network of pods without hostNetwork', 'bridge')
    .option(
      '--pod-infra-container-image <image>',
      'the image of each pod sandbox (the pause container holding the network namespace of a pod without hostNetwork)',
      'registry.k8s.io/pause:3.10',
    )
    .option('--state-dir <dir>', 'where emptyDir volumes live', '/var/lib/everynode')
    .action(async (_options: unknown, command: Command) => {
      const { runAgent } = await import('../agent/run-agent.js');
      await runAgent(optionsOf<AgentOptions>(command));
    });
}
