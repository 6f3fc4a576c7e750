import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadEnvironment } from '../../constructs/environment/load';
import type { CapacityBill } from '../../src/review/capacity';
import { buildOutput } from '../../src/pipeline/build-output';

/**
 * The sandbox is for learning and demos on one machine: every building block it turns on must fit,
 * with the platform and the Information Mediator, in the requests of one 8 vCPU / 32 GiB node.
 * A building block that would break this budget stays off by default (README, Building blocks).
 */
const BUDGET = { cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 };

describe('the sandbox\'s budget', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'govstack-sandbox-budget-'));
  buildOutput([loadEnvironment('sandbox')], { root });
  const capacity = JSON.parse(readFileSync(path.join(root, 'dist', 'sandbox', 'capacity.json'), 'utf8')) as CapacityBill;

  it('requests at most 8 vCPU and 32 GiB for everything it runs, upstream charts included', () => {
    expect(capacity.total.cpuRequests).toBeLessThanOrEqual(BUDGET.cpuMillicores);
    expect(capacity.total.memoryRequests).toBeLessThanOrEqual(BUDGET.memoryBytes);
  });
});
