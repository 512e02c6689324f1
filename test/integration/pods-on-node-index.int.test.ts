import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoClusterStore } from '../../lib/store/dynamo/dynamo-cluster-store.js';
import { BY_NODE_INDEX, NODE_INDEX_PK, NODE_INDEX_SK, toPodStatusItem } from '../../lib/store/dynamo/table.js';
import { aDaemonSet } from '../fixtures/builders/a-daemon-set.js';
import { aNode } from '../fixtures/builders/a-node.js';
import { localDynamo } from './local-dynamo.js';
import { aReport, aStep, at, createPod, KEY, NOW } from './store-contract-fixtures.js';

// The byNode index holds desired pods only: a status write costs one write unit, not two. The node's pod listing
// (what its agent and `kubectl get pods --field-selector spec.nodeName=...` read) still shows each pod's status.
const { documentClient, newTable } = localDynamo('pods-on-node');

async function aStoreWithPodOn(node: string): Promise<{ store: DynamoClusterStore; tableName: string }> {
  const tableName = await newTable();
  const store = new DynamoClusterStore(documentClient, tableName, { now: () => NOW });
  await store.putNode(aNode(node).build(), at(0));
  await store.applyDaemonSet(aDaemonSet('agent').build(), at(1));
  await store.applyStep(KEY, aStep({ actions: [createPod('agent-a', node)] }), 1);
  return { store, tableName };
}

async function indexEntries(tableName: string, node: string): Promise<readonly string[]> {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: BY_NODE_INDEX.name,
      KeyConditionExpression: '#node = :node',
      ExpressionAttributeNames: { '#node': NODE_INDEX_PK },
      ExpressionAttributeValues: { ':node': `NODE#${node}` },
    }),
  );
  return Items.map((item) => String(item[NODE_INDEX_SK]));
}

describe("a node's pods through the byNode index", () => {
  it('index the desired pod only, and still list it with its reported status', async () => {
    const { store, tableName } = await aStoreWithPodOn('node-a');

    await store.putPodStatus(aReport('agent-a', 'node-a', at(20)));

    expect(await indexEntries(tableName, 'node-a')).toEqual(['POD#default/agent/agent-a']);
    expect(
      (await store.listPodsOnNode('node-a')).map((pod) => [pod.daemonSet, pod.name, pod.phase, pod.ready]),
    ).toEqual([['default/agent', 'agent-a', 'Running', true]]);
  });

  it('read a status the previous layout put in the index once, and the newer report that replaces it', async () => {
    const { store, tableName } = await aStoreWithPodOn('node-a');
    const legacy = toPodStatusItem(KEY, 'agent-a', {
      nodeName: 'node-a',
      revisionHash: 'hash-1',
      phase: 'Running',
      ready: false,
      observedAt: at(10),
      gone: false,
    });
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...legacy, [NODE_INDEX_PK]: 'NODE#node-a', [NODE_INDEX_SK]: 'STATUS#default/agent/agent-a' },
      }),
    );

    const before = await store.listPodsOnNode('node-a');
    await store.putPodStatus(aReport('agent-a', 'node-a', at(20)));
    const after = await store.listPodsOnNode('node-a');

    expect(before.map((pod) => [pod.name, pod.phase, pod.ready])).toEqual([['agent-a', 'Running', false]]);
    expect(after.map((pod) => [pod.name, pod.phase, pod.ready])).toEqual([['agent-a', 'Running', true]]);
    expect(await indexEntries(tableName, 'node-a')).toEqual(['POD#default/agent/agent-a']);
  });
});
