import { holdsData } from '../../synth/render';
import type { PolicyCheck } from '../types';

type Block = Record<string, unknown>;
const resourcesOf = (stack: Block, type: string): [string, Block][] =>
  Object.entries(((stack.resource as Block | undefined)?.[type] ?? {}) as Record<string, Block>);

const NAMESPACE_RESOURCES = ['kubernetes_namespace', 'kubernetes_namespace_v1'];

/** The Terraform JSON: state that locks, and namespaces Terraform refuses to destroy. */
export const TERRAFORM_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'TF-01',
    title: 'a state backend with locking outside the sandbox',
    severity: 'H',
    sources: 'Terraform backends pg, kubernetes, s3 (use_lockfile)',
    evaluate: (context) =>
      Object.entries(context.terraform).map(([stack, json]) => {
        const backends = ((json.terraform as Block | undefined)?.backend ?? {}) as Record<string, Block>;
        const [type, settings] = Object.entries(backends)[0] ?? [undefined, {}];
        const violations: string[] = [];
        if (!type) violations.push('has no backend');
        else if (type === 'local' && context.env.stage !== 'sandbox') violations.push(`keeps local state in ${context.env.stage}`);
        else if (type === 's3' && settings.use_lockfile !== true) violations.push('uses s3 without use_lockfile: two applies could corrupt the state');
        else if (!['local', 'pg', 'kubernetes', 's3'].includes(type)) violations.push(`uses backend ${type}, which the kit does not know to lock`);
        return { subject: context.subjectOfTerraform(stack, 'terraform.backend'), violations };
      }),
  },
  {
    id: 'TF-02',
    title: 'every namespace exists in Terraform with prevent_destroy',
    severity: 'H',
    sources: 'Terraform lifecycle.prevent_destroy; it does not protect a removed block, so presence is checked too',
    evaluate: (context) => {
      const declared = new Map<string, { stack: string; address: string; protected: boolean }>();
      for (const [stack, json] of Object.entries(context.terraform)) {
        for (const type of NAMESPACE_RESOURCES) {
          for (const [name, resource] of resourcesOf(json, type)) {
            const metadata = (resource.metadata ?? {}) as Block;
            const lifecycle = (resource.lifecycle ?? {}) as Block;
            declared.set(String(metadata.name), { stack, address: `${type}.${name}`, protected: lifecycle.prevent_destroy === true });
          }
        }
      }
      const expected = new Set([...context.namespaces.map((n) => n.metadata.name), ...declared.keys()]);
      return [...expected].sort().map((name) => {
        const found = declared.get(name);
        if (!found) return { subject: { id: `Namespace/${name}`, exceptions: new Map<string, string>() }, violations: ['is not created by Terraform, so nothing stops its deletion'] };
        return {
          subject: context.subjectOfTerraform(found.stack, found.address),
          violations: found.protected ? [] : [`namespace ${name} lacks lifecycle.prevent_destroy`],
        };
      });
    },
  },
  {
    id: 'TF-03',
    title: 'every Helm release that keeps data has prevent_destroy',
    severity: 'H',
    sources: 'Terraform lifecycle.prevent_destroy; security-baseline.md "Data that must not be lost"',
    evaluate: (context) => {
      // Kit charts are named after their component; upstream charts say whether they keep data.
      const dataComponents = new Set(
        context.manifests.filter(holdsData).map((manifest) => manifest.metadata.labels?.['govstack.dev/component']),
      );
      const dataReleases = new Set(context.upstreamCharts.filter((chart) => chart.holdsData).map((chart) => chart.releaseName));
      return Object.entries(context.terraform).flatMap(([stack, json]) =>
        resourcesOf(json, 'helm_release')
          .filter(([, release]) => dataComponents.has(String(release.name)) || dataReleases.has(String(release.name)))
          .map(([address, release]) => ({
            subject: context.subjectOfTerraform(stack, `helm_release.${address}`),
            violations:
              ((release.lifecycle ?? {}) as Block).prevent_destroy === true
                ? []
                : [`release ${String(release.name)} keeps data but lacks lifecycle.prevent_destroy`],
          })),
      );
    },
  },
];
