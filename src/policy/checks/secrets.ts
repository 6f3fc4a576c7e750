import { CREDENTIALS_IN_URL, scanForSecrets } from '../../validation/secret-scan';
import type { PolicyCheck } from '../types';
import { perContainer, perPod } from './helpers';

/** Environment variable names that hold credentials, `DB_PASS` and `XROAD_DB_PWD` included. */
const CREDENTIAL_NAME = /PASSWORD|PASSWD|PASSPHRASE|(^|_)(PASS|PWD)(_|$)|SECRET|TOKEN|_PIN$|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL/i;
const PEM = /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/;

/** `NAME_FILE=/path` (the Docker secrets convention) names the file holding the credential, not the credential. */
const namesSecretFile = (variable: { name: string; value?: string }) => /_FILE$/.test(variable.name) && /^\/[\w./-]+$/.test(variable.value ?? '');

/** Secrets never literal (GovStack 6.5 req-4/5): from the secret store or generated in the cluster, referenced by name. */
export const SECRET_CHECKS: readonly PolicyCheck[] = [
  {
    id: 'SEC-01',
    title: 'no literal env value that looks like a credential',
    severity: 'H',
    sources: 'PO; KSC C-0012; GS 6.5 req-4/5',
    evaluate: (context) =>
      perPod(context, (pod) =>
        perContainer(pod, ({ container }) => {
          const env = container.env ?? [];
          const literal = env.filter((v) => v.value && !namesSecretFile(v) && (CREDENTIAL_NAME.test(v.name) || PEM.test(v.value)));
          const inUrl = env.filter((v) => !literal.includes(v) && v.value && CREDENTIALS_IN_URL.test(v.value));
          const problems = [
            ...(literal.length > 0 ? [`${literal.map((v) => v.name).join(', ')} given a literal value: use valueFrom`] : []),
            ...(inUrl.length > 0 ? [`${inUrl.map((v) => v.name).join(', ')} embeds a password in a URL: pass it through valueFrom and $(VAR)`] : []),
          ];
          return problems.length > 0 ? problems.join('; ') : undefined;
        }),
      ),
  },
  {
    id: 'SEC-02',
    title: 'secrets mounted as files rather than passed in the environment',
    severity: 'L',
    sources: 'CIS 5.4.1; CK 35',
    evaluate: (context) =>
      perPod(context, (pod) =>
        perContainer(pod, ({ container }) => {
          const fromSecrets = (container.env ?? []).filter((v) => v.valueFrom?.secretKeyRef).map((v) => v.name);
          if ((container.envFrom ?? []).some((source) => source.secretRef)) fromSecrets.push('envFrom a Secret');
          return fromSecrets.length > 0 ? `reads ${fromSecrets.join(', ')} from Secrets through its environment` : undefined;
        }),
      ),
  },
  {
    id: 'SEC-03',
    title: 'no Secret with literal data in the output',
    severity: 'M',
    sources: 'CIS 5.4.2; GS 6.5 req-5',
    evaluate: (context) =>
      context.ofKind('Secret').map((secret) => {
        const keys = ['data', 'stringData'].flatMap((field) => Object.keys((secret as unknown as Record<string, object | undefined>)[field] ?? {}));
        return { subject: context.subjectOf(secret), violations: keys.length > 0 ? [`holds literal values for ${keys.join(', ')}`] : [] };
      }),
  },
  {
    id: 'SEC-04',
    title: 'no credentials in ConfigMaps',
    severity: 'H',
    sources: 'PO; KSC C-0012',
    evaluate: (context) =>
      context.ofKind('ConfigMap').map((configMap) => {
        const data = (configMap as unknown as { data?: Record<string, string> }).data ?? {};
        const findings = scanForSecrets(new Map(Object.entries(data)));
        return { subject: context.subjectOf(configMap), violations: findings.map((f) => `key ${f.file}, line ${f.line}: ${f.kind}`) };
      }),
  },
  {
    id: 'SEC-05',
    title: 'every ClusterSecretStore serves only named namespaces (spec.conditions)',
    severity: 'H',
    sources: 'External Secrets Operator: a ClusterSecretStore without conditions serves every namespace; GS 6.5 req-4',
    evaluate: (context) =>
      context
        .ofKind('ClusterSecretStore')
        .filter((store) => store.apiVersion.startsWith('external-secrets.io/'))
        .map((store) => ({ subject: context.subjectOf(store), violations: unrestrictedStore(store.spec as StoreSpec | undefined) })),
  },
];

interface StoreCondition {
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: { readonly matchLabels?: Readonly<Record<string, string>>; readonly matchExpressions?: readonly unknown[] };
  readonly namespaceRegexes?: readonly string[];
}
type StoreSpec = { readonly conditions?: readonly StoreCondition[] };

/**
 * What lets a ClusterSecretStore serve any namespace. External Secrets serves every namespace when
 * there are no conditions, every namespace when a selector is empty, and matches a regex anywhere
 * in the name (so only `^…$` names namespaces).
 */
function unrestrictedStore(spec: StoreSpec | undefined): string[] {
  const conditions = spec?.conditions ?? [];
  if (conditions.length === 0) return ['has no conditions: an ExternalSecret in any namespace can read every secret it holds'];
  return conditions.flatMap((condition, i) => {
    const selector = condition.namespaceSelector;
    const problems: string[] = [];
    if (selector && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
      problems.push(`condition ${i} has an empty namespaceSelector, which selects every namespace`);
    }
    const unanchored = (condition.namespaceRegexes ?? []).filter((regex) => !/^\^.*\$$/.test(regex));
    if (unanchored.length > 0) problems.push(`condition ${i} matches namespaces by unanchored regexes (${unanchored.join(', ')}): anchor them with ^…$`);
    if (!selector && (condition.namespaces ?? []).length === 0 && (condition.namespaceRegexes ?? []).length === 0) problems.push(`condition ${i} names no namespace`);
    return problems;
  });
}
