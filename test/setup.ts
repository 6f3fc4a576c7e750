import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();

// Specs render upstream charts. Unless GOVSTACK_CHART_SOURCE says otherwise, they take them from the
// offline chart mirror kept beside the repository (as CI lays it out), else from each chart's own repository.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
const besideRepository = path.resolve(__dirname, '../../shared/chart-mirror');
if (!process.env.GOVSTACK_CHART_SOURCE && existsSync(path.join(besideRepository, 'index.yaml'))) process.env.GOVSTACK_CHART_SOURCE = besideRepository;
