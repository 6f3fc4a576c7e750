import type { Manifest } from '../../synth/manifest';
import type { PolicyCheck } from '../types';
import { perPod } from './helpers';

interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs?: readonly string[];
}

interface Binding {
  readonly roleRef?: { readonly kind: string; readonly name: string };
}

const rulesOf = (role: Manifest): readonly PolicyRule[] => (role as unknown as { rules?: PolicyRule[] }).rules ?? [];
const DANGEROUS_SUBRESOURCES = ['pods/exec', 'pods/attach', 'nodes/proxy'];
const DANGEROUS_VERBS = ['bind', 'escalate', 'impersonate'];
const READ_VERBS = ['get', 'list', 'watch', '*'];
/** Kubernetes' user-facing roles that read every Secret where they are bound (cluster-admin everywhere). */
const BUILT_IN_SECRET_READERS = ['cluster-admin', 'admin', 'edit'];
/** A ClusterRole labelled so adds its rules to a built-in role that every user bound to it holds. */
const AGGREGATE_LABEL = /^rbac\.authorization\.k8s\.io\/aggregate-to-(.+)$/;

/** A rule on core resources (or every API group). */
const onCore = (rule: PolicyRule) => (rule.apiGroups ?? []).some((g) => g === '' || g === '*');
const grants = (rule: PolicyRule, resource: string, verbs: readonly string[]) =>
  onCore(rule) && (rule.resources ?? []).some((r) => r === resource || r === '*') && (rule.verbs ?? []).some((v) => verbs.includes(v) || v === '*');

/** The built-in roles a ClusterRole aggregates into (`view`, `edit`, `admin`, …). */
function aggregatedInto(role: Manifest): string[] {
  return Object.entries(role.metadata.labels ?? {})
    .filter(([key, value]) => value === 'true' && AGGREGATE_LABEL.test(key))
    .map(([key]) => AGGREGATE_LABEL.exec(key)![1]);
}

/** Least privilege: no wildcards, no built-in admin roles, no cluster-wide secret reads, no token minting, no token where the API is not called. */
export const RBAC_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'RBAC-01',
    title: 'no "*" in verbs, resources or apiGroups',
    severity: 'H',
    sources: 'CIS 5.1.3; CK 49; KSC C-0187',
    evaluate: (context) =>
      context.ofKind('Role', 'ClusterRole').map((role) => ({
        subject: context.subjectOf(role),
        violations: rulesOf(role).flatMap((rule, i) =>
          (['verbs', 'resources', 'apiGroups'] as const).filter((key) => rule[key]?.includes('*')).map((key) => `rule ${i} has "*" in ${key}`),
        ),
      })),
  },
  {
    id: 'RBAC-02',
    title: 'no binding to the built-in cluster-admin, admin or edit roles',
    severity: 'H',
    sources: 'CIS 5.1.1; PO; KSC C-0185',
    evaluate: (context) =>
      context.ofKind('RoleBinding', 'ClusterRoleBinding').map((binding) => {
        const ref = (binding as unknown as Binding).roleRef;
        const builtIn = ref?.kind === 'ClusterRole' && BUILT_IN_SECRET_READERS.includes(ref.name);
        const where = ref?.name === 'cluster-admin' || binding.kind === 'ClusterRoleBinding' ? 'in every namespace' : 'of its namespace';
        return { subject: context.subjectOf(binding), violations: builtIn ? [`binds the built-in ${ref!.name} role, which reads every Secret ${where}`] : [] };
      }),
  },
  {
    id: 'RBAC-03',
    title: 'no cluster-wide secret reads; no exec, attach, node proxy, bind, escalate or impersonate',
    severity: 'H',
    sources: 'CIS 5.1.2/5.1.8; CK 155-158; PO',
    evaluate: (context) => {
      const clusterBound = new Set(
        context
          .ofKind('ClusterRoleBinding')
          .map((b) => (b as unknown as Binding).roleRef)
          .filter((ref) => ref?.kind === 'ClusterRole')
          .map((ref) => ref!.name),
      );
      return context.ofKind('Role', 'ClusterRole').map((role) => ({
        subject: context.subjectOf(role),
        violations: rulesOf(role).flatMap((rule, i) => {
          const problems: string[] = [];
          const readsSecrets = grants(rule, 'secrets', READ_VERBS);
          if (role.kind === 'ClusterRole' && clusterBound.has(role.metadata.name) && readsSecrets) {
            problems.push(`rule ${i} reads secrets in every namespace (bound by a ClusterRoleBinding)`);
          }
          const aggregated = role.kind === 'ClusterRole' ? aggregatedInto(role) : [];
          if (aggregated.length > 0 && readsSecrets) problems.push(`rule ${i} adds reading secrets to the built-in ${aggregated.join(', ')} role(s) of every user`);
          const subresources = (rule.resources ?? []).filter((r) => DANGEROUS_SUBRESOURCES.includes(r));
          if (subresources.length > 0) problems.push(`rule ${i} grants ${subresources.join(', ')}`);
          const verbs = (rule.verbs ?? []).filter((v) => DANGEROUS_VERBS.includes(v));
          if (verbs.length > 0) problems.push(`rule ${i} grants ${verbs.join(', ')}`);
          return problems;
        }),
      }));
    },
  },
  {
    id: 'RBAC-04',
    title: 'automountServiceAccountToken: false unless the pod calls the API',
    severity: 'M',
    sources: 'CIS 5.1.5/5.1.6; CK 38; NSA',
    evaluate: (context) => {
      const accounts = new Map(
        context.ofKind('ServiceAccount').map((sa) => [`${sa.metadata.namespace}/${sa.metadata.name}`, sa as unknown as { automountServiceAccountToken?: boolean }]),
      );
      return perPod(context, (pod) => {
        const account = accounts.get(`${pod.namespace}/${pod.spec.serviceAccountName ?? 'default'}`);
        const mounted = pod.spec.automountServiceAccountToken ?? account?.automountServiceAccountToken ?? true;
        return mounted ? ['mounts a service account token'] : [];
      });
    },
  },
  {
    id: 'RBAC-05',
    title: 'serviceAccountName set, not default',
    severity: 'M',
    sources: 'CIS 5.1.5; CK 41/42',
    evaluate: (context) =>
      perPod(context, ({ spec }) =>
        !spec.serviceAccountName || spec.serviceAccountName === 'default' ? ['runs as the default service account'] : [],
      ),
  },
  {
    id: 'RBAC-06',
    title: 'no minting of service account tokens (create on serviceaccounts/token)',
    severity: 'H',
    sources: 'Kubernetes RBAC good practices (token request); PO',
    evaluate: (context) =>
      context.ofKind('Role', 'ClusterRole').map((role) => ({
        subject: context.subjectOf(role),
        violations: rulesOf(role).flatMap((rule, i) =>
          grants(rule, 'serviceaccounts/token', ['create'])
            ? [`rule ${i} creates tokens for ${role.kind === 'ClusterRole' ? 'any service account it is bound for' : 'every service account of its namespace'}: whoever holds it acts as them`]
            : [],
        ),
      })),
  },
];
