import * as path from 'node:path';
import extract from 'extract-zip';
import type { ProductDistribution } from '../distribution';
import { HarnessError } from '../harness-error';
import { fetchMavenArtifact } from './fetch-artifact';
import { javaHome, jvmContainerLimits, JVM_LIMITS_DIFFERENCE } from './java-runtime';
import { installOnce, makeReadable } from './make-readable';

const VERSION = '26.7.3';

/**
 * Keycloak's server distribution from Maven Central (org.keycloak:keycloak-quarkus-dist), the same
 * tree the quay.io/keycloak/keycloak image copies to /opt/keycloak (its Dockerfile: ENTRYPOINT
 * /opt/keycloak/bin/kc.sh, USER 1000 whose home is /opt/keycloak, ENV LANG=en_US.UTF-8).
 */
export const KEYCLOAK_DISTRIBUTION: ProductDistribution = {
  product: 'keycloak',
  version: VERSION,
  source: `Maven Central org.keycloak:keycloak-quarkus-dist:${VERSION} (zip), the tree the image has at /opt/keycloak`,
  containers: ['keycloak'],
  async install(folder, log) {
    const home = path.join(folder, `keycloak-${VERSION}`);
    await installOnce(folder, async () => {
      const zip = await fetchMavenArtifact('org.keycloak', 'keycloak-quarkus-dist', VERSION, 'zip', folder, log);
      await extract(zip, { dir: path.resolve(folder) });
      makeReadable(home);
    });
    // The image runs a JDK 21; the nearest runtime on this machine stands in.
    const java = javaHome(['/usr/lib/jvm/java-21-openjdk-amd64', '/usr/lib/jvm/temurin-21-jdk-amd64', '/usr/lib/jvm/temurin-25-jdk-amd64', '/usr/lib/jvm/java-17-openjdk-amd64']);
    return {
      imagePaths: { '/opt/keycloak': home },
      imageEnv: { LANG: 'en_US.UTF-8', HOME: '/opt/keycloak', JAVA_HOME: java, PATH: `${java}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` },
      entrypoint: ['/opt/keycloak/bin/kc.sh'],
      workingDir: '/opt/keycloak',
      limitsEnvironment: jvmContainerLimits,
      differences: [`Java runtime ${java} instead of the image's JDK 21`, 'host system libraries instead of the image\'s UBI 9 micro base', JVM_LIMITS_DIFFERENCE],
    };
  },
  async smoke({ env, port, settings }) {
    // Keycloak answers the discovery document of each realm the environment names, with the public
    // hostname the kit configured as issuer: proof that the realm import and KC_HOSTNAME took effect.
    const realms = (settings.realms as { name: string }[] | undefined) ?? [];
    if (realms.length === 0) throw new HarnessError('the environment names no realm for Keycloak to import');
    const proven: string[] = [];
    for (const realm of realms) {
      const url = `http://127.0.0.1:${port('http')}/realms/${realm.name}/.well-known/openid-configuration`;
      const response = await fetch(url, { headers: { 'X-Forwarded-Proto': 'https' } });
      if (!response.ok) throw new HarnessError(`realm ${realm.name}: GET ${url} answered ${response.status} (the realm was not imported)`);
      const issuer = ((await response.json()) as { issuer?: string }).issuer;
      const expected = `${env.KC_HOSTNAME}/realms/${realm.name}`;
      if (issuer !== expected) throw new HarnessError(`realm ${realm.name}: issuer is ${issuer}, expected ${expected} (KC_HOSTNAME did not take effect)`);
      proven.push(`realm ${realm.name} issues as ${issuer}`);
    }
    return proven.join('; ');
  },
};
