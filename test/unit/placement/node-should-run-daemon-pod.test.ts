import { describe, expect, it } from 'vitest';
import type { NodeSelectorTerm } from '../../../lib/model/pod-spec.js';
import { nodeShouldRunDaemonPod } from '../../../lib/placement/node-should-run-daemon-pod.js';
import { aDaemonSet, type DaemonSetBuilder } from '../../fixtures/builders/a-daemon-set.js';
import { aNode, type NodeBuilder } from '../../fixtures/builders/a-node.js';

const plain = aDaemonSet('agent');
const worker = aNode('worker-1').labelled({ role: 'worker', hardware: 'cpu' });

/** `run`: both answers yes; `keep`: no new pod, the running one stays; `none`: both answers no. */
type Outcome = 'run' | 'keep' | 'none';
const ANSWERS = {
  run: { shouldRun: true, shouldContinueRunning: true },
  keep: { shouldRun: false, shouldContinueRunning: true },
  none: { shouldRun: false, shouldContinueRunning: false },
} as const;

const requiring = (terms: NodeSelectorTerm) => plain.withRequiredAffinity(terms);
const role = (value: string): NodeSelectorTerm => ({
  matchExpressions: [{ key: 'role', operator: 'In', values: [value] }],
});

const cases: ReadonlyArray<[string, NodeBuilder, DaemonSetBuilder, Outcome]> = [
  ['runs on a plain node', worker, plain, 'run'],
  ['runs on its own spec.nodeName', worker, plain.withNodeName('worker-1'), 'run'],
  ['skips a node spec.nodeName does not name', worker, plain.withNodeName('worker-2'), 'none'],
  ['runs where the nodeSelector matches', worker, plain.withNodeSelector({ role: 'worker' }), 'run'],
  ['skips where the nodeSelector does not match', worker, plain.withNodeSelector({ hardware: 'gpu' }), 'none'],
  ['skips where a nodeSelector key is absent', worker, plain.withNodeSelector({ pool: 'x' }), 'none'],
  ['runs where required affinity matches', worker, requiring(role('worker')), 'run'],
  ['skips where required affinity does not match', worker, requiring(role('infra')), 'none'],
  ['needs nodeSelector and affinity both', worker, requiring(role('worker')).withNodeSelector({ gpu: 'a' }), 'none'],
  [
    'keeps running under an untolerated NoSchedule taint',
    worker.tainted('dedicated', 'NoSchedule', 'db'),
    plain,
    'keep',
  ],
  ['stops under an untolerated NoExecute taint', worker.tainted('dedicated', 'NoExecute', 'db'), plain, 'none'],
  ['ignores PreferNoSchedule taints', worker.tainted('dedicated', 'PreferNoSchedule'), plain, 'run'],
  [
    'runs under a tolerated NoExecute taint',
    worker.tainted('dedicated', 'NoExecute', 'db'),
    plain.tolerating({ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute' }),
    'run',
  ],
  [
    'stops when only the NoSchedule half is tolerated',
    worker.tainted('dedicated', 'NoSchedule').tainted('dedicated', 'NoExecute'),
    plain.tolerating({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }),
    'none',
  ],
  [
    'runs everywhere with a bare Exists toleration',
    worker.tainted('a', 'NoSchedule').tainted('b', 'NoExecute'),
    plain.tolerating({ operator: 'Exists' }),
    'run',
  ],
  ['runs on a not-ready node', worker.notReady().tainted('node.kubernetes.io/not-ready', 'NoExecute'), plain, 'run'],
  ['runs on an unreachable node', worker.tainted('node.kubernetes.io/unreachable', 'NoExecute'), plain, 'run'],
  [
    'does not tolerate not-ready:NoSchedule',
    worker.tainted('node.kubernetes.io/not-ready', 'NoSchedule'),
    plain,
    'keep',
  ],
  ['runs under disk-pressure', worker.tainted('node.kubernetes.io/disk-pressure', 'NoSchedule'), plain, 'run'],
  ['runs under memory-pressure', worker.tainted('node.kubernetes.io/memory-pressure', 'NoSchedule'), plain, 'run'],
  ['runs under pid-pressure', worker.tainted('node.kubernetes.io/pid-pressure', 'NoSchedule'), plain, 'run'],
  [
    'runs on a cordoned node with its unschedulable taint',
    worker.cordoned().tainted('node.kubernetes.io/unschedulable', 'NoSchedule'),
    plain,
    'run',
  ],
  ['ignores spec.unschedulable itself', worker.cordoned(), plain, 'run'],
  ['ignores node conditions', worker.notReady().withCondition('MemoryPressure', 'True'), plain, 'run'],
  ['ignores resources', worker.withAllocatable({ cpu: '0', memory: '0' }), plain, 'run'],
  [
    'skips network-unavailable without hostNetwork',
    worker.tainted('node.kubernetes.io/network-unavailable', 'NoSchedule'),
    plain,
    'keep',
  ],
  [
    'runs on network-unavailable with hostNetwork',
    worker.tainted('node.kubernetes.io/network-unavailable', 'NoSchedule'),
    plain.withHostNetwork(),
    'run',
  ],
  ['skips the control plane', worker.tainted('node-role.kubernetes.io/control-plane', 'NoSchedule'), plain, 'keep'],
  [
    'stops on a wrong node even when every taint is tolerated',
    worker.tainted('x', 'NoExecute'),
    plain.withNodeName('worker-2').tolerating({ operator: 'Exists' }),
    'none',
  ],
];

describe('nodeShouldRunDaemonPod', () => {
  it.each(cases)('%s', (_name, node, daemonSet, outcome) => {
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node.build(), daemonSet.build().placement);

    expect({ shouldRun, shouldContinueRunning }).toEqual(ANSWERS[outcome]);
  });

  it('gives no reasons when both answers are yes', () => {
    const decision = nodeShouldRunDaemonPod(worker.build(), plain.build().placement);

    expect(decision).toEqual({ shouldRun: true, shouldContinueRunning: true, reasons: [] });
  });

  const onlyWorker9: NodeSelectorTerm = {
    matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-9'] }],
  };
  const ssd: NodeSelectorTerm = { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] };

  it.each<[string, NodeBuilder, DaemonSetBuilder, string]>([
    ['spec.nodeName', worker, plain.withNodeName('worker-2'), 'spec.nodeName is worker-2'],
    [
      'a wrong label',
      worker,
      plain.withNodeSelector({ hardware: 'gpu' }),
      'nodeSelector hardware=gpu does not match (node has hardware=cpu)',
    ],
    [
      'a missing label',
      worker,
      plain.withNodeSelector({ gpu: 'a100' }),
      'nodeSelector gpu=a100 does not match (node has no label gpu)',
    ],
    [
      'node affinity',
      worker.labelled({ disktype: 'hdd' }),
      requiring(ssd),
      'node affinity: no nodeSelectorTerm matches (term 1: disktype In [ssd] does not match (node has disktype=hdd))',
    ],
    [
      'node affinity over two terms',
      worker,
      plain.withRequiredAffinity({}, onlyWorker9),
      'node affinity: no nodeSelectorTerm matches (term 1: an empty term matches nothing; ' +
        'term 2: metadata.name In [worker-9] does not match (node is worker-1))',
    ],
    [
      'an empty term list',
      worker,
      plain.withRequiredAffinity(),
      'node affinity: no nodeSelectorTerm matches (there are no terms)',
    ],
    [
      'a control-plane taint',
      worker.tainted('node-role.kubernetes.io/control-plane', 'NoSchedule'),
      plain,
      'taint node-role.kubernetes.io/control-plane:NoSchedule is not tolerated',
    ],
    [
      'a NoExecute taint with a value',
      worker.tainted('dedicated', 'NoExecute', 'db'),
      plain,
      'taint dedicated=db:NoExecute is not tolerated',
    ],
  ])('explains %s', (_name, node, daemonSet, reason) => {
    const decision = nodeShouldRunDaemonPod(node.build(), daemonSet.build().placement);

    expect(decision.reasons).toEqual([reason]);
  });

  it('lists every failure in the order nodeName, nodeSelector, affinity, taints', () => {
    const node = worker.tainted('z', 'NoSchedule').tainted('a', 'NoExecute').tainted('a', 'NoSchedule', 'v').build();
    const placement = plain
      .withNodeName('worker-2')
      .withNodeSelector({ role: 'infra', hardware: 'gpu' })
      .withRequiredAffinity({ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] })
      .build().placement;

    const decision = nodeShouldRunDaemonPod(node, placement);

    expect(decision.reasons).toEqual([
      'spec.nodeName is worker-2',
      'nodeSelector hardware=gpu does not match (node has hardware=cpu)',
      'nodeSelector role=infra does not match (node has role=worker)',
      'node affinity: no nodeSelectorTerm matches (term 1: gpu Exists does not match (node has no label gpu))',
      'taint a:NoExecute is not tolerated',
      'taint a=v:NoSchedule is not tolerated',
      'taint z:NoSchedule is not tolerated',
    ]);
  });

  it('does not name tolerated or PreferNoSchedule taints', () => {
    const node = worker
      .tainted('node.kubernetes.io/not-ready', 'NoExecute')
      .tainted('soft', 'PreferNoSchedule')
      .tainted('hard', 'NoSchedule')
      .build();

    const decision = nodeShouldRunDaemonPod(node, plain.build().placement);

    expect(decision.reasons).toEqual(['taint hard:NoSchedule is not tolerated']);
  });
});
