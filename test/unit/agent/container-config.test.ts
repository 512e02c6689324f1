import { describe, expect, it } from 'vitest';
import type { AgentPod } from '../../../agent/agent-pod.js';
import {
  assertRunnable,
  containerConfig,
  expandReferences,
  type HostContext,
  UnsupportedPodError,
} from '../../../agent/container-config.js';
import { LABELS } from '../../../agent/container-labels.js';
import type { JsonObject } from '../../../lib/model/daemon-set.js';

const HOST: HostContext = {
  nodeName: 'worker-1',
  hostIP: '10.0.0.7',
  podNetwork: 'bridge',
  emptyDirRoot: '/var/lib/everynode/pods',
};

function aPod(spec: JsonObject): AgentPod {
  return {
    name: 'fluentd-abcde',
    namespace: 'logging',
    daemonSet: 'fluentd',
    revisionHash: '5d8f9c7b6',
    spec,
    stored: { phase: 'Pending', ready: false },
  };
}

const main = (container: JsonObject = {}): JsonObject => ({ name: 'main', image: 'fluentd:1.16', ...container });

describe('containerConfig', () => {
  it('maps command to the entrypoint and args to the command, as the kubelet does', () => {
    const both = containerConfig(
      aPod({}),
      main({ command: ['fluentd'], args: ['-c', '/etc/f.conf'] }),
      { init: false, restartCount: 0 },
      HOST,
    );
    expect(both).toMatchObject({ Entrypoint: ['fluentd'], Cmd: ['-c', '/etc/f.conf'] });
    // A command alone drops the image's CMD; args alone keep the image's ENTRYPOINT.
    expect(
      containerConfig(aPod({}), main({ command: ['sleep'] }), { init: false, restartCount: 0 }, HOST),
    ).toMatchObject({ Entrypoint: ['sleep'], Cmd: [] });
    const argsOnly = containerConfig(aPod({}), main({ args: ['--verbose'] }), { init: false, restartCount: 0 }, HOST);
    expect(argsOnly['Cmd']).toEqual(['--verbose']);
    expect(argsOnly['Entrypoint']).toBeUndefined();
  });

  it('resolves values, the supported fieldRefs and $(VAR) references in env, command and args', () => {
    const container = main({
      command: ['sh', '-c', 'echo $(GREETING) $$(NOT_EXPANDED) $(UNKNOWN)'],
      env: [
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'GREETING', value: 'hi-$(NODE)' },
      ],
    });
    const config = containerConfig(aPod({}), container, { init: false, restartCount: 0 }, HOST);
    expect(config['Env']).toEqual([
      'NODE=worker-1',
      'POD=fluentd-abcde',
      'NS=logging',
      'HOST_IP=10.0.0.7',
      'GREETING=hi-worker-1',
    ]);
    expect(config['Entrypoint']).toEqual(['sh', '-c', 'echo hi-worker-1 $(NOT_EXPANDED) $(UNKNOWN)']);
  });

  it('gives the host network, pid namespace, privileges, capabilities, ports and limits the pod asks for', () => {
    const pod = aPod({ hostNetwork: true, hostPID: true });
    const container = main({
      securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, runAsUser: 1000 },
      resources: { limits: { memory: '200Mi', cpu: '500m' }, requests: { cpu: '100m' } },
      ports: [{ containerPort: 24224, hostPort: 24224 }],
    });
    const config = containerConfig(pod, container, { init: false, restartCount: 0 }, HOST);
    expect(config).toMatchObject({
      User: '1000',
      ExposedPorts: { '24224/tcp': {} },
      HostConfig: {
        NetworkMode: 'host',
        PidMode: 'host',
        Privileged: true,
        CapAdd: ['NET_ADMIN'],
        CapDrop: ['ALL'],
        Memory: 200 * 1024 * 1024,
        NanoCpus: 500_000_000,
        CpuShares: 102,
        RestartPolicy: { Name: 'no' },
        // Host networking publishes nothing: the container already listens on the host.
        PortBindings: {},
      },
    });
    const bridged = containerConfig(aPod({}), container, { init: false, restartCount: 0 }, HOST);
    expect(bridged['HostConfig']).toMatchObject({
      NetworkMode: 'bridge',
      PortBindings: { '24224/tcp': [{ HostIp: '', HostPort: '24224' }] },
    });
  });

  it('mounts hostPath and emptyDir volumes, read-only and subPath included', () => {
    const pod = aPod({
      volumes: [
        { name: 'varlog', hostPath: { path: '/var/log' } },
        { name: 'buffer', emptyDir: {} },
      ],
    });
    const container = main({
      volumeMounts: [
        { name: 'varlog', mountPath: '/var/log', readOnly: true },
        { name: 'buffer', mountPath: '/buffer', subPath: 'fluentd' },
      ],
    });
    const config = containerConfig(pod, container, { init: false, restartCount: 0 }, HOST);
    expect((config['HostConfig'] as JsonObject)['Binds']).toEqual([
      '/var/log:/var/log:ro',
      '/var/lib/everynode/pods/logging_fluentd-abcde/buffer/fluentd:/buffer',
    ]);
  });

  it('labels each container with its node, pod, container, kind and restart count', () => {
    const config = containerConfig(aPod({}), main(), { init: true, restartCount: 4 }, HOST);
    expect(config['Labels']).toEqual({
      [LABELS.node]: 'worker-1',
      [LABELS.namespace]: 'logging',
      [LABELS.pod]: 'fluentd-abcde',
      [LABELS.daemonSet]: 'fluentd',
      [LABELS.revision]: '5d8f9c7b6',
      [LABELS.container]: 'main',
      [LABELS.init]: 'true',
      [LABELS.restartCount]: '4',
    });
  });
});

describe('assertRunnable', () => {
  it('accepts hostPath and emptyDir volumes and the supported fieldRefs', () => {
    expect(() =>
      assertRunnable(
        aPod({
          volumes: [
            { name: 'a', hostPath: { path: '/a' } },
            { name: 'b', emptyDir: {} },
          ],
          containers: [main({ env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] })],
        }),
      ),
    ).not.toThrow();
  });

  it.each([
    [
      { volumes: [{ name: 'config', configMap: { name: 'fluentd' } }] },
      'UnsupportedVolume',
      'spec.volumes[0].configMap: Unsupported value',
    ],
    [{ volumes: [{ name: 'token', secret: { secretName: 't' } }] }, 'UnsupportedVolume', 'spec.volumes[0].secret'],
    [{ volumes: [{ name: 'p', projected: { sources: [] } }] }, 'UnsupportedVolume', 'spec.volumes[0].projected'],
    [
      { containers: [main({ env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] })] },
      'UnsupportedEnvSource',
      'spec.containers[0].env[0].valueFrom: Unsupported value',
    ],
    [
      { initContainers: [main({ volumeMounts: [{ name: 'nowhere', mountPath: '/x' }] })] },
      'VolumeNotFound',
      'spec.initContainers[0].volumeMounts[0].name: Not found: "nowhere"',
    ],
  ])('refuses %j with %s', (spec, reason, message) => {
    let thrown: unknown;
    try {
      assertRunnable(aPod(spec as JsonObject));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedPodError);
    expect((thrown as UnsupportedPodError).reason).toBe(reason);
    expect((thrown as UnsupportedPodError).message).toContain(message);
  });
});

describe('expandReferences', () => {
  it('expands defined variables, keeps undefined ones and unescapes $$', () => {
    const env = new Map([['A', 'x']]);
    expect(expandReferences('$(A)-$(B)-$$(A)-$$', env)).toBe('x-$(B)-$(A)-$');
  });
});
