import { describe, expect, it } from 'vitest';
import { CliError } from '../../../cli/cli-error.js';
import { parseResourceReference } from '../../../cli/resource-kind.js';

describe('parseResourceReference', () => {
  it.each([
    ['ds', 'daemonsets'],
    ['daemonset', 'daemonsets'],
    ['DaemonSets', 'daemonsets'],
    ['daemonsets.apps', 'daemonsets'],
    ['no', 'nodes'],
    ['node', 'nodes'],
    ['po', 'pods'],
    ['pod', 'pods'],
    ['rejections', 'rejections'],
  ])('resolves the alias %s to %s', (alias, kind) => {
    const reference = parseResourceReference(alias);

    expect(reference).toEqual({ kind });
  });

  it('reads the kind/name form', () => {
    const reference = parseResourceReference('daemonset/fluentd-logger');

    expect(reference).toEqual({ kind: 'daemonsets', name: 'fluentd-logger' });
  });

  it('takes the name from a separate argument', () => {
    const reference = parseResourceReference('ds', 'fluentd-logger');

    expect(reference).toEqual({ kind: 'daemonsets', name: 'fluentd-logger' });
  });

  it('refuses a kind the command does not accept, as a usage error', () => {
    const parse = () => parseResourceReference('pods', undefined, ['daemonsets']);

    expect(parse).toThrow(CliError);
    expect(parse).toThrow(/doesn't have a resource type "pods"/);
  });

  it('refuses a name given twice', () => {
    const parse = () => parseResourceReference('ds/a', 'b');

    expect(parse).toThrow(/resource\/name form/);
  });
});
