import { describe, expect, it } from 'vitest';
import {
  NoPreviousRevisionError,
  NoRolloutHistoryError,
  RevisionNotFoundError,
} from '../../../lib/revision/history-errors.js';
import { rollbackTemplate } from '../../../lib/revision/rollback-template.js';
import { aDaemonSet } from '../../fixtures/builders/a-daemon-set.js';
import { revisionOf } from './revision-fixtures.js';

const v = (n: number) => aDaemonSet('agent').withImage(`registry.example/agent:${n}`).build();
const revisions = [revisionOf(v(3), 7), revisionOf(v(1), 2), revisionOf(v(2), 5)];

describe('rollbackTemplate', () => {
  it('returns the previous revision by default, the second highest number', () => {
    const template = rollbackTemplate(revisions);

    expect(template).toEqual(v(2).template);
  });

  it('treats --to-revision 0 as the default', () => {
    const template = rollbackTemplate(revisions, 0);

    expect(template).toEqual(v(2).template);
  });

  it('returns the revision asked for', () => {
    const template = rollbackTemplate(revisions, 2);

    expect(template).toEqual(v(1).template);
  });

  it('rejects a revision that does not exist, as kubectl words it', () => {
    const undo = () => rollbackTemplate(revisions, 4);

    expect(undo).toThrow(RevisionNotFoundError);
    expect(undo).toThrow('unable to find specified revision 4 in history');
  });

  it('rejects a negative revision', () => {
    expect(() => rollbackTemplate(revisions, -1)).toThrow(RevisionNotFoundError);
  });

  it('rejects an undo without history', () => {
    const undo = () => rollbackTemplate([]);

    expect(undo).toThrow(NoRolloutHistoryError);
    expect(undo).toThrow('no rollout history found');
  });

  it('rejects an undo with only the current revision', () => {
    const undo = () => rollbackTemplate([revisionOf(v(1), 1)]);

    expect(undo).toThrow(NoPreviousRevisionError);
    expect(undo).toThrow('no last revision to roll back to');
  });

  it('rejects a specific revision without history', () => {
    expect(() => rollbackTemplate([], 3)).toThrow('unable to find specified revision 3 in history');
  });
});
