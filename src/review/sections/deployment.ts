import { paragraph, table, type Section } from '../document';
import type { ReviewModel } from '../review-model';

export function deploymentSection(model: ReviewModel): Section {
  const rows = model.stacks.map((stack) => [
    stack.stack,
    stack.backend,
    stack.namespaces.map((ns) => `${ns.name}${ns.preventDestroy ? ' (prevent_destroy)' : ''}`).join('\n'),
    stack.releases.map((r) => `${r.name} → ${r.namespace}: ${r.repository ? `${r.chart} ${r.version} from ${r.repository}` : r.chart}`).join('\n'),
  ]);
  return {
    id: 'deployment',
    title: 'Deployment with Terraform',
    blocks: [
      paragraph('Stacks are applied in this order with `cdktf deploy <stack>`; each keeps its own state. Terraform JSON: `cdktf.out/stacks/<stack>/cdk.tf.json`.'),
      table('stacks', ['Stack', 'State backend', 'Namespaces created', 'Helm releases'], rows),
    ],
  };
}
