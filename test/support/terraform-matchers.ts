import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';

/**
 * cdktf's Terraform matchers (toHaveResource, toHaveProviderWithProperties, ...) for the spec files that
 * import this. Not in test/setup.ts, which every spec file runs: loading cdktf there cost each of the
 * files that never touch Terraform about a tenth of a second.
 */
Testing.setupJest();
