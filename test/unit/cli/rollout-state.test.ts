import { describe, expect, it } from 'vitest';
import { formatProgress, rolloutState } from '../../../cli/rollout/rollout-state.js';

function daemonSet(status: Record<string, unknown>, metadata: Record<string, unknown> = {}) {
  return {
    metadata: { name: 'fluentd-logger', generation: 2, ...metadata },
    spec: { updateStrategy: { type: 'RollingUpdate' } },
    status: { observedGeneration: 2, desiredNumberScheduled: 3, ...status },
  };
}

describe('rolloutState', () => {
  it('waits for the spec update to be observed first', () => {
    const state = rolloutState(daemonSet({ observedGeneration: 1, updatedNumberScheduled: 3, numberAvailable: 3 }));

    expect(state).toMatchObject({ phase: 'waiting', message: 'Waiting for daemon set spec update to be observed...' });
  });

  it('counts updated pods, in kubectl words', () => {
    const state = rolloutState(daemonSet({ updatedNumberScheduled: 1, numberAvailable: 2 }));

    expect(state).toMatchObject({
      phase: 'waiting',
      message: 'Waiting for daemon set "fluentd-logger" rollout to finish: 1 out of 3 new pods have been updated...',
    });
  });

  it('then counts available pods', () => {
    const state = rolloutState(daemonSet({ updatedNumberScheduled: 3, numberAvailable: 1 }));

    expect(state.message).toBe(
      'Waiting for daemon set "fluentd-logger" rollout to finish: 1 of 3 updated pods are available...',
    );
  });

  it('is done when every desired pod is updated and available', () => {
    const state = rolloutState(daemonSet({ updatedNumberScheduled: 3, numberAvailable: 3 }));

    expect(state).toMatchObject({ phase: 'done', message: 'daemon set "fluentd-logger" successfully rolled out' });
  });

  it('fails when the progress deadline is exceeded', () => {
    const conditions = [
      { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'no progress for 60s' },
    ];

    const state = rolloutState(daemonSet({ updatedNumberScheduled: 1, numberAvailable: 2, conditions }));

    expect(state).toMatchObject({
      phase: 'failed',
      message: 'daemon set "fluentd-logger" exceeded its progress deadline: no progress for 60s',
    });
  });

  it('ignores a stale failure until the new generation is observed', () => {
    const conditions = [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }];

    const state = rolloutState(daemonSet({ observedGeneration: 1, conditions }, { generation: 2 }));

    expect(state.phase).toBe('waiting');
  });

  it('notes a paused rollout', () => {
    const state = rolloutState(
      daemonSet({ updatedNumberScheduled: 1 }, { annotations: { 'everynode.io/paused': 'true' } }),
    );

    expect(state.note).toBe('paused: continue with `rollout resume`');
  });
});

describe('formatProgress', () => {
  it('says why a paused rollout does not move', () => {
    const state = rolloutState(
      daemonSet({ updatedNumberScheduled: 1 }, { annotations: { 'everynode.io/paused': 'true' } }),
    );

    const line = formatProgress(state, 3);

    expect(line).toBe('[▓░░] 1/3 updated · 0/3 available (paused: continue with `rollout resume`)');
  });

  it('draws available, updated-only and remaining parts of the bar', () => {
    const state = rolloutState(daemonSet({ updatedNumberScheduled: 2, numberAvailable: 1 }));

    const line = formatProgress(state, 12);

    expect(line).toBe('[████▓▓▓▓░░░░] 2/3 updated · 1/3 available');
  });

  it('fills the bar when nothing is desired', () => {
    const state = rolloutState(daemonSet({ desiredNumberScheduled: 0 }));

    const line = formatProgress(state, 4);

    expect(line).toMatch(/^\[████\] 0\/0 updated/);
  });
});

describe('rolloutState after an automatic revert', () => {
  const reverted = (currentName: string) => ({
    ...daemonSet({ updatedNumberScheduled: 3, numberAvailable: 3, conditions: [] }),
    revisions: [
      { metadata: { name: 'fluentd-logger-bad' }, revision: 2 },
      { metadata: { name: currentName }, revision: 3 },
    ],
    events: [
      { type: 'Warning', reason: 'ProgressDeadlineExceeded', message: 'fluentd-logger-bad made no progress for 30s' },
      {
        type: 'Warning',
        reason: 'RolloutReverted',
        message:
          'Rolled back to revision 1 ("fluentd-logger-good"), the last revision available on every node, after fluentd-logger-bad made no progress for 30s',
      },
    ],
  });

  it('fails with the revision it went back to and why, even once the reverted template is available', () => {
    const state = rolloutState(reverted('fluentd-logger-good'));

    expect(state).toMatchObject({
      phase: 'failed',
      message: 'daemon set "fluentd-logger" rolled back to revision 1: fluentd-logger-bad made no progress for 30s',
    });
  });

  it('watches the rollout of a template applied after the revert as usual', () => {
    const state = rolloutState(reverted('fluentd-logger-newer'));

    expect(state).toMatchObject({ phase: 'done', message: 'daemon set "fluentd-logger" successfully rolled out' });
  });
});
