import { existsSync } from 'node:fs';
import { HarnessError } from '../harness-error';

/**
 * The Java runtime a Java product runs on here, nearest to the image's own: the first of the given
 * JAVA_HOMEs that exists (`GOVSTACK_JAVA_HOME` overrides). The images ship their own JDK; the
 * report says which one stood in.
 */
export function javaHome(preferred: readonly string[], needs: 'java' | 'javac' = 'java'): string {
  const candidates = [process.env.GOVSTACK_JAVA_HOME, ...preferred].filter((c): c is string => Boolean(c));
  const found = candidates.find((home) => existsSync(`${home}/bin/${needs}`));
  if (!found) throw new HarnessError(`no Java ${needs === 'javac' ? 'development kit' : 'runtime'} found (looked in ${candidates.join(', ')}): install Debian's openjdk-17-jdk-headless, or set GOVSTACK_JAVA_HOME to a JDK`);
  return found;
}
