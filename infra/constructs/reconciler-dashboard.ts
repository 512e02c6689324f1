import { Duration } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../../functions/shared/observability.js';
import type { WatchedFunction, WatchedQueue } from './reconciler-alarms.js';

export interface ReconcilerDashboardProps {
  readonly queues: readonly WatchedQueue[];
  readonly functions: readonly WatchedFunction[];
  readonly stage: HttpStage;
  readonly table: Table;
  readonly alarms: readonly Alarm[];
}

const PERIOD = Duration.minutes(5);
const WIDE = 8;

/** One page for an operator: alarm states, queue flow, function health, API and table traffic. */
export class ReconcilerDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ReconcilerDashboardProps) {
    super(scope, id);
    const { queues, functions } = props;
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 }));
    this.dashboard.addWidgets(
      graph(
        'Messages waiting',
        queues.map(({ name, queue }) =>
          queue.queue.metricApproximateNumberOfMessagesVisible({ label: name, statistic: 'Maximum', period: PERIOD }),
        ),
      ),
      graph(
        'Oldest message (seconds)',
        queues.map(({ name, queue }) =>
          queue.queue.metricApproximateAgeOfOldestMessage({ label: name, statistic: 'Maximum', period: PERIOD }),
        ),
      ),
      graph(
        'Parked in dead-letter queues',
        queues.map(({ name, queue }) =>
          queue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            label: name,
            statistic: 'Maximum',
            period: PERIOD,
          }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Invocations',
        functions.map(({ name, lambda }) => lambda.metricInvocations({ label: name, period: PERIOD })),
      ),
      graph(
        'Errors and throttles',
        functions.flatMap(({ name, lambda }) => [
          lambda.metricErrors({ label: `${name} errors`, period: PERIOD }),
          lambda.metricThrottles({ label: `${name} throttles`, period: PERIOD }),
        ]),
      ),
      graph(
        'Duration p99 (ms)',
        functions.map(({ name, lambda }) => lambda.metricDuration({ label: name, statistic: 'p99', period: PERIOD })),
      ),
    );
    this.dashboard.addWidgets(
      graph('API requests and errors', [
        props.stage.metricCount({ label: 'requests', statistic: 'Sum', period: PERIOD }),
        props.stage.metricClientError({ label: '4xx', statistic: 'Sum', period: PERIOD }),
        props.stage.metricServerError({ label: '5xx', statistic: 'Sum', period: PERIOD }),
      ]),
      graph('Table capacity used', [
        props.table.metricConsumedReadCapacityUnits({ label: 'read units', statistic: 'Sum', period: PERIOD }),
        props.table.metricConsumedWriteCapacityUnits({ label: 'write units', statistic: 'Sum', period: PERIOD }),
      ]),
      graph(
        'Reconciler (custom metrics)',
        [
          METRIC.reconcilePasses,
          METRIC.reconcileRechecks,
          METRIC.reconcilesHandedOver,
          METRIC.factsStored,
          METRIC.terminalFailures,
          METRIC.nodeNoticesPublished,
          METRIC.nodeNoticesFailed,
        ].map(
          (metricName) =>
            new MathExpression({
              // Summed over every function's `service` dimension.
              expression: `SUM(SEARCH('{${METRICS_NAMESPACE},service} MetricName="${metricName}"', 'Sum', ${PERIOD.toSeconds()}))`,
              label: metricName,
              period: PERIOD,
            }),
        ),
      ),
    );
  }
}

function graph(title: string, left: readonly IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: [...left], width: WIDE, height: 6 });
}
