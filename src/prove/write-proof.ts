import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { section } from '../review/render-markdown';
import { proofSection } from '../review/sections/proof';
import { PROOF_FILE, type ProofReport } from './proof-report';

const ANCHOR = '<a id="proof"></a>';

/**
 * Writes `dist/<env>/proof.json` and puts the proof's section at the end of `dist/<env>/REVIEW.md`
 * (replacing the one an earlier proof wrote). Nothing else in `dist/` changes. The next
 * `npm run synth` replaces `dist/<env>/` whole, so a proof never outlives the output it proved.
 */
export function writeProof(distDir: string, proof: ProofReport): { proofFile: string; reviewUpdated: boolean } {
  mkdirSync(distDir, { recursive: true });
  const proofFile = path.join(distDir, PROOF_FILE);
  writeAtomically(proofFile, `${JSON.stringify(proof, null, 2)}\n`);
  const review = path.join(distDir, 'REVIEW.md');
  if (!existsSync(review)) return { proofFile, reviewUpdated: false };
  writeAtomically(review, withProofSection(readFileSync(review, 'utf8'), proof));
  return { proofFile, reviewUpdated: true };
}

/** REVIEW.md with the proof section last, in place of an earlier one. */
export function withProofSection(markdown: string, proof: ProofReport): string {
  const at = markdown.indexOf(ANCHOR);
  const before = (at >= 0 ? markdown.slice(0, at) : markdown).trimEnd();
  return `${before}\n\n${ANCHOR}\n\n${section(proofSection(proof), 2)}\n`;
}

function writeAtomically(file: string, text: string): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}
