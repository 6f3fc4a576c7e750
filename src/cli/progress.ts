/**
 * A long command's progress: one line per step on stderr, so stdout keeps only the command's result
 * (what a script or a reviewer reads) and a user sees at once that work is going on.
 */
export function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}
