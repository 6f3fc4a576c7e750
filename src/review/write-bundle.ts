import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PolicyReport } from '../policy/types';
import type { EnvironmentSynthesis } from '../synth/synthesize';
import { CHANGES_FILE, changeReport, changeReportJson, type ChangeReport } from './change-report';
import { drawDiagrams, type Diagram } from './architecture-diagrams';
import { startDiagramLayout } from './graphviz';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { reviewDocument } from './review-document';
import { buildReviewModel, comparableObjects, type ReviewModel } from './review-model';
import { UPSTREAM_FOLDER, upstreamReleaseFile, upstreamReleaseFileName } from './upstream-releases';

/** Where one environment's review bundle goes, and where the output it replaces still is. */
export interface BundleTarget {
  readonly synthesis: EnvironmentSynthesis;
  /** The policy suite's report on the synthesis. */
  readonly policy: PolicyReport;
  /** The (staged) `dist/<env>/` to write into. */
  readonly outDir: string;
  /** The current `dist/<env>/`, about to be replaced: what "what changed" compares with. */
  readonly previousDir: string;
}

function lines(items: readonly string[]): string {
  return items.map((item) => `${item}\n`).join('');
}

/** Every file of one environment's review bundle, by path relative to `dist/<env>/`. */
export function reviewBundleFiles(model: ReviewModel, diagrams: readonly Diagram[], changes: ChangeReport): Map<string, string> {
  const document = reviewDocument(model, diagrams, changes);
  const files = new Map<string, string>([
    ['REVIEW.md', renderMarkdown(document)],
    ['review.html', renderHtml(document)],
    ...diagrams.map((diagram): [string, string] => [diagram.file, diagram.svg]),
    ['capacity.json', `${JSON.stringify({ units: { cpu: 'millicores', memory: 'bytes', storage: 'bytes' }, ...model.capacity }, null, 2)}\n`],
    ['images.txt', lines(model.images)],
    ['charts.txt', lines(model.charts)],
    [CHANGES_FILE, changeReportJson(changes)],
  ]);
  for (const [file, text] of upstreamReleaseFiles(model)) files.set(file, text);
  return files;
}

function upstreamReleaseFiles(model: ReviewModel): Map<string, string> {
  return new Map(model.upstreamReleases.map((release) => [path.join(UPSTREAM_FOLDER, upstreamReleaseFileName(release)), upstreamReleaseFile(release, model.env.name)]));
}

function writeFiles(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

/**
 * Writes the review bundle of each environment: REVIEW.md, review.html, the architecture diagrams,
 * capacity.json, images.txt, charts.txt, changes.json and the upstream charts' values.
 * Diagrams are laid out in rounds across all environments (graphviz.ts), the engine loading while the models are built.
 */
export function writeReviewBundles(targets: readonly BundleTarget[]): ReviewModel[] {
  const layout = startDiagramLayout();
  let models: ReviewModel[];
  let diagrams: Diagram[][];
  try {
    models = targets.map(({ synthesis, policy }) => buildReviewModel({ synthesis, policy }));
    diagrams = drawDiagrams(
      models.map((model) => model.diagrams),
      (graphs) => layout.layOut(graphs),
    );
  } finally {
    layout.cancel();
  }
  targets.forEach((target, i) => {
    // Written first, like the manifests, so that "what changed" takes unchanged releases from memory.
    const upstream = upstreamReleaseFiles(models[i]);
    writeFiles(target.outDir, upstream);
    const changes = changeReport(comparableObjects(models[i]), target.previousDir, target.outDir);
    writeFiles(target.outDir, new Map([...reviewBundleFiles(models[i], diagrams[i], changes)].filter(([file]) => !upstream.has(file))));
  });
  return models;
}
