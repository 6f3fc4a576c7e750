import { existsSync } from 'node:fs';
import { parseQuantity } from '../../../constructs/baseline/quantity';
import { HarnessError } from '../harness-error';
import type { ContainerLimits } from '../pod-workloads';

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

/** How that differs from the pod, for the report. */
export const JVM_LIMITS_DIFFERENCE = 'the JVM gets the container\'s memory and CPU limits as JDK_JAVA_OPTIONS (-XX:MaxRAM, -XX:ActiveProcessorCount); in a pod it reads them from its cgroup';

/**
 * In a pod the JVM reads its memory and CPU limits from the container's cgroup and sizes its heap
 * and thread pools from them; in the sandbox it would see the whole machine. The `java` launcher
 * reads JDK_JAVA_OPTIONS, which the images leave unset, so the limits are given there.
 */
export function jvmContainerLimits(limits: ContainerLimits): Record<string, string> {
  const options: string[] = [];
  if (limits.memory) options.push(`-XX:MaxRAM=${Math.round(parseQuantity(limits.memory))}`);
  if (limits.cpu) options.push(`-XX:ActiveProcessorCount=${Math.max(1, Math.ceil(parseQuantity(limits.cpu)))}`);
  return options.length > 0 ? { JDK_JAVA_OPTIONS: options.join(' ') } : {};
}
