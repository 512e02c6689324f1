import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { LifecycleAction, Node } from '../../lib/model/node.js';
import type { Pod } from '../../lib/model/pod.js';
import { placementAnswers } from '../../lib/placement/placement-answers.js';
import { type CriticalDaemonSet, planStartupGate } from '../../lib/reconcile/plan-startup-gate.js';
import { isPodAvailable } from '../../lib/rollout/pod-availability.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aPod, POD_EPOCH } from '../fixtures/builders/a-pod.js';
import { arbNode } from './placement-arbitraries.js';

const NOW = POD_EPOCH + 600_000;

const arbPod = (name: string, nodeName: string): fc.Arbitrary<Pod> =>
  fc
    .record({
      state: fc.constantFrom('pending', 'notReady', 'ready', 'readyNoTime', 'terminating'),
      readyAgo: fc.integer({ min: 0, max: 120 }),
    })
    .map(({ state, readyAgo }) => {
      const pod = aPod(name).on(nodeName);
      switch (state) {
        case 'pending':
          return pod.inPhase('Pending').notReady().build();
        case 'notReady':
          return pod.notReady().build();
        case 'ready':
          return pod.readySince(NOW - readyAgo * 1000).build();
        case 'readyNoTime':
          return pod.readyWithoutTime().build();
        default:
          return pod
            .readySince(NOW - readyAgo * 1000)
            .terminating()
            .build();
      }
    });

const arbCritical = (index: number, nodeName: string): fc.Arbitrary<CriticalDaemonSet> =>
  fc
    .record({
      mode: fc.constantFrom('true' as const, 'continuous' as const),
      timeout: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }),
      minReadySeconds: fc.integer({ min: 0, max: 60 }),
      selector: fc.option(fc.constantFrom({ zone: 'a' }, { gpu: 'true' }), { nil: undefined }),
      pods: fc.array(arbPod(`ds${index}-pod`, nodeName), { maxLength: 2 }),
    })
    .map(({ mode, timeout, minReadySeconds, selector, pods }) => {
      let builder = aDaemonSet(`ds${index}`).startupCritical(mode, timeout).withMinReadySeconds(minReadySeconds);
      if (selector !== undefined) builder = builder.withNodeSelector(selector);
      return {
        key: `default/ds${index}`,
        daemonSet: builder.build(),
        gate: {
          mode: mode === 'true' ? 'bootstrap' : 'continuous',
          ...(timeout === undefined ? {} : { timeoutSeconds: timeout }),
        },
        pods,
      };
    });

const arbAction = (): fc.Arbitrary<LifecycleAction | undefined> =>
  fc
    .option(
      fc.record({
        transition: fc.constant('launch' as const),
        autoScalingGroupName: fc.constant('workers'),
        lifecycleHookName: fc.constant('hook'),
        lifecycleActionToken: fc.constant('token'),
        receivedAt: fc.integer({ min: 0, max: 600 }).map((ago) => new Date(NOW - ago * 1000).toISOString()),
        result: fc.option(fc.constantFrom('CONTINUE' as const, 'ABANDON' as const), { nil: undefined }),
      }),
      { nil: undefined },
    )
    .map((action) => {
      if (action === undefined) return undefined;
      const { result, ...rest } = action;
      return result === undefined ? rest : { ...rest, result };
    });

/** A node (gated or not, some gone through a gate), its critical DaemonSets and a lifecycle action. */
const arbCase = fc
  .record({
    node: arbNode(),
    gated: fc.boolean(),
    gatedAgo: fc.integer({ min: 0, max: 1200 }),
    opened: fc.boolean(),
    action: arbAction(),
    count: fc.integer({ min: 0, max: 3 }),
    // Half the nodes carry no taint of their own, so the critical DaemonSets do run there.
    ownTaints: fc.boolean(),
  })
  .chain(({ node, gated, gatedAgo, opened, action, count, ownTaints }) => {
    const taints = ownTaints ? node.taints.filter((taint) => taint.key !== 'everynode.io/startup') : [];
    const withGate: Node = {
      ...node,
      taints: gated
        ? [
            ...taints,
            {
              key: 'everynode.io/startup',
              effect: 'NoSchedule',
              timeAdded: new Date(NOW - gatedAgo * 1000).toISOString(),
            },
          ]
        : taints,
      conditions: opened
        ? [
            ...node.conditions,
            {
              type: 'everynode.io/StartupComplete',
              status: 'True',
              lastTransitionTime: new Date(POD_EPOCH).toISOString(),
            },
          ]
        : node.conditions,
      ...(action === undefined ? {} : { lifecycleAction: action }),
    };
    return fc.record({
      node: fc.constant(withGate),
      critical: fc.tuple(...Array.from({ length: count }, (_, index) => arbCritical(index, node.name))),
    });
  });

const withoutGate = (node: Node) => ({
  ...node,
  taints: node.taints.filter((taint) => taint.key !== 'everynode.io/startup'),
  conditions: node.conditions.filter((condition) => condition.type !== 'everynode.io/StartupComplete'),
  lifecycleAction: undefined,
});

describe('planStartupGate', () => {
  test.prop([arbCase])(
    'opens only when every critical DaemonSet that should run has an available pod',
    ({ node, critical }) => {
      const plan = planStartupGate({ node, critical, now: NOW, heartbeatIntervalSeconds: 1800 });

      if (plan.opened) {
        for (const each of critical) {
          if (!placementAnswers(node, each.daemonSet.placement).shouldRun) continue;
          const available = each.pods.some(
            (pod) => pod.deletionTimestamp === undefined && isPodAvailable(pod, each.daemonSet.minReadySeconds, NOW),
          );
          expect(available).toBe(true);
        }
        expect(plan.node?.taints.some((taint) => taint.key === 'everynode.io/startup')).toBe(false);
      }
      if (plan.node !== undefined && !plan.opened) {
        const wasGated = node.taints.some((taint) => taint.key === 'everynode.io/startup');
        const isGated = plan.node.taints.some((taint) => taint.key === 'everynode.io/startup');
        expect(isGated).toBe(wasGated || plan.closed);
      }
    },
  );

  test.prop([arbCase])('changes only the gate taint, its condition and the lifecycle action', ({ node, critical }) => {
    const plan = planStartupGate({ node, critical, now: NOW, heartbeatIntervalSeconds: 1800 });

    if (plan.node !== undefined) expect(withoutGate(plan.node)).toEqual(withoutGate(node));
  });

  test.prop([arbCase])('never changes a lifecycle action result once decided', ({ node, critical }) => {
    const plan = planStartupGate({ node, critical, now: NOW, heartbeatIntervalSeconds: 1800 });

    const before = node.lifecycleAction?.result;
    if (before !== undefined) expect(plan.node?.lifecycleAction?.result ?? before).toBe(before);
  });

  test.prop([arbCase])('is a fixpoint: planning again from its own node changes nothing more', ({ node, critical }) => {
    const first = planStartupGate({ node, critical, now: NOW, heartbeatIntervalSeconds: 1800 });
    const next = first.node ?? node;

    const second = planStartupGate({ node: next, critical, now: NOW, heartbeatIntervalSeconds: 1800 });

    expect(second.node).toBeUndefined();
  });
});
