import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTable } from '../../lib/store/dynamo/table.js';
import type { ResultTable } from '../shared/bench-result.js';
import { formatUnits } from '../shared/stats.js';
import { CapacityMeter, totalsOf } from './capacity-meter.js';

/**
 * Shows, on DynamoDB Local itself, why transactional writes are priced by the model: the same requests
 * with what Local reports beside what AWS's rules charge.
 */
export async function calibrateLocal(endpoint: string): Promise<ResultTable> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const meter = new CapacityMeter();
  meter.attach(client);
  const documents = DynamoDBDocumentClient.from(client);
  const TableName = 'bench-calibration';
  await createTable(client, TableName);
  const item = (sk: string, bytes: number) => ({ pk: 'calibration', sk, body: 'x'.repeat(bytes) });
  const cases: readonly (readonly [string, () => Promise<unknown>])[] = [
    ['PutItem, one 200 B item', () => documents.send(new PutCommand({ TableName, Item: item('a', 200) }))],
    ['PutItem, one 1.5 KB item', () => documents.send(new PutCommand({ TableName, Item: item('b', 1500) }))],
    [
      'TransactWriteItems, one 200 B item',
      () => documents.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: item('c', 200) } }] })),
    ],
    [
      'TransactWriteItems, ten 200 B items',
      () =>
        documents.send(
          new TransactWriteCommand({
            TransactItems: Array.from({ length: 10 }, (_, index) => ({
              Put: { TableName, Item: item(`d${index}`, 200) },
            })),
          }),
        ),
    ],
  ];
  const rows: (readonly string[])[] = [];
  try {
    for (const [label, send] of cases) {
      await send();
      const total = totalsOf(meter.take().usage);
      rows.push([label, formatUnits(total.localWriteUnits), formatUnits(total.writeUnits + total.indexWriteUnits)]);
    }
  } finally {
    client.destroy();
  }
  return {
    title: 'Calibration: DynamoDB Local versus AWS pricing rules (why transactions are modelled)',
    columns: ['request', 'Local reports WCU', 'AWS rules WCU'],
    rows,
  };
}
