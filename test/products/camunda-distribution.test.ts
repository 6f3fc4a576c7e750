import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CAMUNDA_REGISTRATION, CAMUNDA_WORKFLOW } from '../../constructs/catalogue/products/camunda';
import type { InstalledDistribution } from '../../src/products/distribution';
import { CAMUNDA_DISTRIBUTION, writeRunScripts } from '../../src/products/distributions/camunda';
import type { Manifest } from '../../src/synth/manifest';
import { buildingBlockManifests, environmentRunning } from '../support/building-blocks';

interface Container {
  name: string;
  args?: string[];
  command?: string[];
  volumeMounts?: { mountPath: string; subPath?: string }[];
}

/** The Camunda pods the kit synthesises, one per building block that runs Camunda, in the sandbox. */
function camundaContainers(): Container[] {
  return [CAMUNDA_REGISTRATION, CAMUNDA_WORKFLOW].flatMap((entry) =>
    buildingBlockManifests(environmentRunning(entry, 'sandbox'), entry.buildingBlock)
      .filter((m: Manifest) => m.kind === 'Deployment' && (m.metadata.labels ?? {})['govstack.dev/product'] === 'camunda')
      .flatMap((m) => (m.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers),
  );
}

/**
 * The distribution as install() reports it for a folder laid out already (no download): the
 * scripts and configuration it writes, and a stand-in JDK folder, since the mapping is all we check.
 */
function laidOut(): { folder: string; home: string; installed: () => Promise<InstalledDistribution> } {
  const folder = mkdtempSync(path.join(tmpdir(), 'camunda-distribution-'));
  const home = path.join(folder, 'camunda');
  writeRunScripts(home);
  writeFileSync(path.join(folder, '.installed'), '7.24.0\n');
  const jdk = path.join(folder, 'jdk');
  mkdirSync(path.join(jdk, 'bin'), { recursive: true });
  writeFileSync(path.join(jdk, 'bin', 'javac'), '', { mode: 0o755 });
  process.env.GOVSTACK_JAVA_HOME = jdk;
  return { folder, home, installed: () => CAMUNDA_DISTRIBUTION.install(folder, () => undefined, 'camunda') };
}

/** A `java` that says it is 17 and prints the command line run.sh gives it. */
function fakeJava(folder: string): string {
  const java = path.join(folder, 'java');
  writeFileSync(java, '#!/bin/bash\nif [ "$1" = -version ]; then echo \'openjdk version "17.0.15" 2025-04-15\' >&2; exit 0; fi\nprintf "%s\\n" "$@"\n', { mode: 0o755 });
  return java;
}

describe('the Camunda distribution the product harness starts', () => {
  const folders: string[] = [];
  afterAll(() => {
    delete process.env.GOVSTACK_JAVA_HOME;
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('is the catalogue\'s Camunda version, for every building block that runs Camunda', () => {
    expect(CAMUNDA_REGISTRATION.version).toBe(CAMUNDA_DISTRIBUTION.version);
    expect(CAMUNDA_WORKFLOW.version).toBe(CAMUNDA_DISTRIBUTION.version);
  });

  it('runs the container the synthesised Camunda pods name', () => {
    const containers = camundaContainers();
    expect(containers.length).toBeGreaterThanOrEqual(2);
    for (const container of containers) expect(CAMUNDA_DISTRIBUTION.containers).toContain(container.name);
  });

  it('has, at the image\'s working folder, the script the pod\'s args start, and the script that one hands over to', async () => {
    const { folder, home, installed } = laidOut();
    folders.push(folder);
    const image = await installed();
    expect(image.workingDir).toBe('/camunda');
    expect(image.imagePaths['/camunda']).toBe(home);
    for (const container of camundaContainers()) {
      const program = container.command?.[0] ?? container.args?.[0] ?? '';
      const inImage = path.posix.resolve(image.workingDir ?? '/', program);
      expect(inImage.startsWith('/camunda/')).toBe(true);
      expect(() => accessSync(path.join(home, inImage.slice('/camunda/'.length)), constants.X_OK)).not.toThrow();
    }
    expect(() => accessSync(path.join(home, 'internal', 'run.sh'), constants.X_OK)).not.toThrow();
  });

  it('has a file wherever the pod mounts a single file into the image (bubblewrap binds a file only onto a file)', async () => {
    const { folder, home } = laidOut();
    folders.push(folder);
    const fileMounts = camundaContainers().flatMap((c) => (c.volumeMounts ?? []).filter((m) => m.subPath && m.mountPath.startsWith('/camunda/')));
    expect(fileMounts.map((m) => m.mountPath)).toContain('/camunda/configuration/production.yml');
    for (const mount of fileMounts) expect(statSync(path.join(home, mount.mountPath.slice('/camunda/'.length))).isFile()).toBe(true);
  });

  it('puts each module the options choose on Spring Boot\'s loader path and reads production.yml for --production, as Run\'s run.sh does', () => {
    const { folder, home } = laidOut();
    folders.push(folder);
    const output = execFileSync('bash', [path.join(home, 'internal', 'run.sh'), 'start', '--webapps', '--rest', '--production'], { env: { PATH: process.env.PATH, JAVA: fakeJava(folder) }, encoding: 'utf8' });
    const internal = path.join(home, 'internal');
    expect(output).toContain(`-Dloader.path=${internal}/rest/,${internal}/webapps/,${home}/configuration/userlib/,${home}/configuration/keystore/`);
    expect(output).toContain(`-Dcamunda.deploymentDir=${home}/configuration/resources`);
    expect(output).toContain(`-jar\n${internal}/camunda-bpm-run-core.jar\n--spring.config.location=file:${home}/configuration/production.yml`);
  });

  it('refuses an option Camunda Run 7.24 does not have, as the image\'s run.sh does (Swagger UI left Run in 7.22)', () => {
    const { folder, home } = laidOut();
    folders.push(folder);
    const run = spawnSync('bash', [path.join(home, 'internal', 'run.sh'), 'start', '--rest', '--swaggerui'], { env: { PATH: process.env.PATH, JAVA: fakeJava(folder) }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("Unexpected argument '--swaggerui'!");
    expect(run.stdout).not.toContain('camunda-bpm-run-core.jar');
  });
});
