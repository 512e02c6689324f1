import { join, relative, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { LOCAL_CREDENTIALS_FILE } from './local-credentials.js';
import { PortInUseError } from './local-http-server.js';
import { DEFAULT_STATE_DIR, type LocalControlPlane, startLocalControlPlane } from './start-local-control-plane.js';

// The SDK warns about Node 20 on every client; the local control plane is not the place to act on it.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

/** A second signal this soon after the first is the same Ctrl+C, relayed. */
const FORCE_AFTER_MS = 2_000;
/** Exit anyway when a clean stop hangs; DynamoDB Local's JVM is killed on exit regardless. */
const STOP_TIMEOUT_MS = 15_000;
/** How often we look whether the process that started us (npm, tsx) is still there. */
const PARENT_CHECK_MS = 1_000;

type CliOptions = Readonly<{
  demo: boolean;
  reset: boolean;
  inMemory: boolean;
  agents: boolean;
  port: number;
  agentReadyDelay: number;
  failImage: readonly string[];
  nodeGracePeriod: number;
  stateDir: string;
}>;

function integer(name: string, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 0 to ${max}`);
    }
    return parsed;
  };
}

const program = new Command('npm start --')
  .description('Runs everynode on this machine: DynamoDB Local, the API, the queues and simulated node agents.')
  .option('--demo', 'seed three nodes and the fluentd DaemonSet into an empty store', false)
  .option('--reset', 'delete the stored cluster (nodes, DaemonSets, pods) and start empty', false)
  .option('--in-memory', 'keep nothing between runs (DynamoDB Local in memory)', false)
  .option('--no-agents', 'do not simulate node agents (pods stay Pending until something reports on them)')
  .option('--port <n>', 'port of the API and the dashboard (0 picks a free one)', integer('--port', 65_535), 8080)
  .option(
    '--agent-ready-delay <ms>',
    'how long a simulated pod takes to become Ready',
    integer('--agent-ready-delay', 600_000),
    500,
  )
  .option(
    '--node-grace-period <seconds>',
    'how long a node whose agent sends heartbeats may go without one before it turns NotReady',
    integer('--node-grace-period', 86_400),
    50,
  )
  .option('--fail-image <image...>', 'container images whose pods crash-loop (Running, never Ready)', [])
  .option('--state-dir <dir>', 'where the API token and DynamoDB data are kept', DEFAULT_STATE_DIR);

async function main(): Promise<void> {
  const options = program.parse().opts<CliOptions>();
  let plane: LocalControlPlane;
  try {
    plane = await startLocalControlPlane({
      port: options.port,
      stateDir: options.stateDir,
      inMemory: options.inMemory,
      agents: options.agents,
      agentReadyDelayMs: options.agentReadyDelay,
      failImages: options.failImage,
      nodeGracePeriodMs: options.nodeGracePeriod * 1000,
      demo: options.demo,
      reset: options.reset,
    });
  } catch (error) {
    console.error(`everynode: ${error instanceof PortInUseError ? error.message : describe(error)}`);
    process.exitCode = 1;
    return;
  }
  const shown = (path: string): string =>
    relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path);
  const credentials = shown(join(plane.stateDir, LOCAL_CREDENTIALS_FILE));
  // The CLI finds local.json in the default state folder by itself; anywhere else it must be told.
  const cliReads =
    resolve(plane.stateDir) === resolve(DEFAULT_STATE_DIR)
      ? 'the CLI reads it by itself'
      : `run the CLI with EVERYNODE_STATE_DIR=${shown(plane.stateDir)}`;
  console.log(
    [
      '',
      'everynode is running locally',
      `  API        ${plane.url}/v1  (bearer token in ${credentials}; ${cliReads})`,
      `  dashboard  ${plane.url}/`,
      `  kubectl    export KUBECONFIG=${plane.kubeconfig}`,
      `  DynamoDB   ${plane.dynamoEndpoint}${options.inMemory ? ' (in memory)' : ` (data in ${shown(join(plane.stateDir, 'dynamodb'))})`}`,
      options.inMemory
        ? '  state      nothing is kept after Ctrl+C'
        : `  state      kept in ${shown(plane.stateDir)} between runs; \`npm start -- --reset\` starts empty`,
      ...(options.demo && !plane.demoSeeded
        ? ['  demo       not seeded: the store already holds a cluster, kept as you left it (--reset to start over)']
        : []),
      '',
      'Try it:',
      '  npx everynode get nodes',
      '  npx everynode get pods',
      '  npx everynode apply -f test/fixtures/manifests/gpu-monitor.yaml',
      '  npx everynode rollout status daemonset/fluentd-logger -n kube-system',
      '',
      'Ctrl+C stops everything.',
      '',
    ].join('\n'),
  );
  let stoppingSince: number | undefined;
  const shutdown = (signal: NodeJS.Signals): void => {
    // Ctrl+C reaches this process twice (from the terminal, and relayed by npm and tsx): only a signal
    // sent well after the first one means "stop now".
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < FORCE_AFTER_MS) return;
      console.log(`${signal} again: exiting at once`);
      process.exit(130);
    }
    stoppingSince = Date.now();
    console.log(`${signal}: stopping...`);
    setTimeout(() => {
      console.error('everynode: stopping takes too long; exiting');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    plane.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`everynode: could not stop cleanly: ${describe(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // When npm or tsx is killed outright (kill -9), no signal reaches us: we are re-parented instead. Stop
  // then, as for a signal, so the control plane and its JVM do not outlive the command that started them.
  const parent = process.ppid;
  const watchdog = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watchdog);
    console.log(`the process that started us (pid ${parent}) is gone: stopping...`);
    shutdown('SIGTERM');
  }, PARENT_CHECK_MS);
  watchdog.unref();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

await main();
