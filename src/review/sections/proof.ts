import { list, notice, paragraph, table, type Section } from '../document';
import type { ProofReport } from '../../prove/proof-report';

/**
 * "Proven against real engines": what `npm run prove` found, read from `proof.json`. A reviewer
 * sees whether the output was applied to a real API server, with which versions, and what the
 * proof had to change to run without nodes.
 */
export function proofSection(proof: ProofReport): Section {
  const minor = proof.kubernetes.server.replace(/^v?(\d+\.\d+).*$/, '$1');
  const dry = proof.dryRun;
  const planned = proof.secondPlan ?? [];
  const changed = planned.filter((p) => p.status !== 'no changes');
  const headline =
    `Applied to a Kubernetes ${minor} API server: ${dry ? `${dry.accepted} objects accepted, ${dry.rejected.length} rejected` : 'dry-run did not run'}; ` +
    `second plan: ${planned.length > 0 && changed.length === 0 ? 'no changes' : planned.length === 0 ? 'did not run' : `changes or errors in ${changed.map((p) => p.stack).join(', ')}`}.`;
  const inexact = proof.toolchain.providers.filter((p) => !p.exact);
  return {
    id: 'proof',
    title: 'Proof against a real API server',
    blocks: [
      paragraph(headline),
      ...(proof.ok ? [] : [notice('warning', 'The proof failed: see the stages and rejections below, and `proof.json`.')]),
      table('proof-stages', ['Stage', 'Result', 'Seconds', 'Summary'], proof.stages.map((s) => [s.stage, s.status, String(s.seconds), s.summary]), { numeric: [2] }),
      table(
        'proof-rejections',
        ['Object', 'From', 'API server said'],
        [...(dry?.rejected ?? []), ...(proof.restore?.dryRun?.rejected ?? []).map((r) => ({ ...r, source: `recovery: ${r.source}` }))].map((r) => [r.object, r.source, r.message]),
        { empty: 'No object rejected.' },
      ),
      paragraph(
        `Proven ${proof.provenAt} with kube-apiserver ${proof.kubernetes.server}, ${proof.toolchain.terraform}, ` +
          `providers ${proof.toolchain.providers.map((p) => `${p.name} ${p.version}`).join(', ')}; upstream charts from ${'`'}${proof.chartRepository}${'`'} (the environment's \`registry.charts\`).`,
      ),
      ...(inexact.length > 0
        ? [notice('warning', `Not the exact provider builds: ${inexact.map((p) => `${p.name} ${p.version} was built from ${p.builtFrom} (${p.note})`).join('; ')}.`)]
        : []),
      paragraph('What the proof changed to run on an API server without nodes:'),
      list([...proof.overrides, ...Object.entries(proof.kubernetes.admissionDisabled).map(([plugin, why]) => `admission plugin ${plugin} off: ${why}`)]),
    ],
  };
}
