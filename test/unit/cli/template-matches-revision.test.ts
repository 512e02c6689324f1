import { describe, expect, it } from 'vitest';
import { templateMatchesRevision } from '../../../cli/plan/template-matches-revision.js';
import type { PodTemplate } from '../../../lib/model/daemon-set.js';

const manifest: PodTemplate = {
  metadata: { labels: { name: 'agent' }, annotations: {} },
  spec: {
    restartPolicy: 'Always',
    containers: [{ name: 'agent', image: 'example/agent:1.0', resources: { limits: { cpu: 1, memory: '1Gi' } } }],
  },
};

const stored = (spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
  metadata: { creationTimestamp: null, labels: { name: 'agent' } },
  spec: {
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    containers: [
      {
        name: 'agent',
        image: 'example/agent:1.0',
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        resources: { limits: { cpu: '1', memory: '1Gi' } },
        ...container,
      },
    ],
    ...spec,
  },
});

describe('templateMatchesRevision', () => {
  it('matches the template the API server stored with its defaults and canonical quantities', () => {
    expect(templateMatchesRevision(manifest, stored())).toBe(true);
  });

  it('does not match when the revision holds a field the manifest left out that is no default', () => {
    expect(templateMatchesRevision(manifest, stored({ hostNetwork: true }))).toBe(false);
  });

  it('does not match another image or another label', () => {
    expect(templateMatchesRevision(manifest, stored({}, { image: 'example/agent:2.0' }))).toBe(false);
    expect(templateMatchesRevision(manifest, { ...stored(), metadata: { labels: { name: 'other' } } })).toBe(false);
  });

  it('compares quantities by value', () => {
    expect(
      templateMatchesRevision(manifest, stored({}, { resources: { limits: { cpu: '1000m', memory: '1024Mi' } } })),
    ).toBe(true);
    expect(templateMatchesRevision(manifest, stored({}, { resources: { limits: { cpu: '2', memory: '1Gi' } } }))).toBe(
      false,
    );
  });
});
