// cdktf's Terraform matchers are set up by the spec files that use them (support/terraform-matchers.ts).

// Stacks are written as the kit's commands write them (src/cli/stack-trace.cjs): the stack cdktf records
// for every token keeps its innermost frames, which halves the time of a synthesis here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writtenStack } = require('../src/cli/stack-trace.cjs') as { writtenStack: (error: unknown, callSites: NodeJS.CallSite[]) => string };
Error.prepareStackTrace = writtenStack;

// Specs render upstream charts. Unless GOVSTACK_CHART_SOURCE says otherwise, they take them from the
// offline chart mirror kept beside the repository (as CI lays it out), else from each chart's own repository.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
const besideRepository = path.resolve(__dirname, '../../shared/chart-mirror');
if (!process.env.GOVSTACK_CHART_SOURCE && existsSync(path.join(besideRepository, 'index.yaml'))) process.env.GOVSTACK_CHART_SOURCE = besideRepository;
