import type { ChangeReport } from '../change-report';
import { paragraph, table, type Section } from '../document';

export function changesSection(envName: string, report: ChangeReport): Section {
  const count = (change: string) => report.changes.filter((c) => c.change === change).length;
  const summary =
    report.basis === 'first'
      ? `No earlier synthesis of \`${envName}\` was found in \`dist/${envName}/\` when its objects last changed: nothing to compare with.`
      : report.changes.length === 0
        ? 'No object changed compared with the previous synthesis.'
        : `The most recent synthesis that changed this environment's objects added ${count('added')}, removed ${count('removed')} and changed ${count('changed')} object(s).`;
  return {
    id: 'changes',
    title: 'What changed',
    blocks: [
      paragraph(summary),
      paragraph('Synthesising again without changes keeps this section as it is (also in `changes.json`); `npm run diff -- --env NAME --against previous` compares the current sources with the last output.'),
      table(
        'changes',
        ['Change', 'Object', 'Component', 'Namespace', 'Fields'],
        report.changes.map((c) => [c.change, c.object, c.component, c.namespace, (c.fields ?? []).join('\n')]),
        { empty: 'No changes.' },
      ),
    ],
  };
}
