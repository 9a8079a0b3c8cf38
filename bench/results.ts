import type { LambdaName } from '../infra/lambdaBundling';
import type { ApiStats } from './scenarios/api';
import type { ColdStart } from './scenarios/coldStart';
import type { DeliveryStats } from './scenarios/delivery';
import type { CostReport } from './cost/costModel';

/** The machine's 1-minute load average when a scenario's work fell due and when it was all delivered. */
export interface LoadDuring {
  readonly atDue: number;
  readonly atEnd: number;
}

/** bench/results/latest.json: the fields issue 7 names, and a few more. */
export interface BenchResults {
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly commit: string;
  /** The machine, and what else kept it busy: the figures are only as quiet as it was. */
  readonly machine: { readonly cpus: number; readonly model: string; readonly loadAverage: { readonly start: number[]; readonly end: number[] }; readonly busiestOtherProcesses: string[] };
  readonly steady: DeliveryStats & { readonly perSecond: number; readonly seconds: number; readonly loadAverage: LoadDuring };
  readonly burst: Array<DeliveryStats & { readonly createdSecondsAhead: number; readonly loadAverage: LoadDuring }>;
  readonly api: ApiStats;
  readonly limit: {
    readonly ddbLocalPutsPerSec: number;
    readonly putSamples: number[];
    readonly pipelineExecutionsPerSec: number;
    /** DynamoDB write requests per execution, from the cost run. */
    readonly writesPerExecution: number;
    /** pipelineExecutionsPerSec x writesPerExecution / ddbLocalPutsPerSec */
    readonly ratio: number;
  };
  readonly cost: CostReport;
  readonly coldStart: Record<LambdaName, ColdStart>;
}
