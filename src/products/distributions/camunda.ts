import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ProductDistribution } from '../distribution';
import { HarnessError } from '../harness-error';
import { fetchMavenArtifact, mavenRepository } from './fetch-artifact';
import { javaHome, jvmContainerLimits, JVM_LIMITS_DIFFERENCE } from './java-runtime';
import { runProgram } from './run-program';

const VERSION = '7.24.0';

/** The image's folder (its Dockerfile: `WORKDIR /camunda`, the Run distribution unpacked into it). */
const IMAGE_HOME = '/camunda';

/**
 * Where the kit's production.yml reads the administrator's password from: a Spring Boot config tree
 * at /camunda/secrets/ with the `admin` Secret mounted below it (`admin/password` → `admin.password`).
 */
const ADMIN_PASSWORD_FILE = '/camunda/secrets/admin/password';

/** Written last by install(): a folder without it is a broken earlier attempt and is laid out again. */
const INSTALLED_MARKER = '.installed';

/**
 * Camunda 7 Run as the image docker.io/camunda/camunda-bpm-platform:run-7.24.0 has it in /camunda,
 * assembled from Camunda's own 7.24.0 artifacts on Maven Central.
 *
 * Camunda publishes the Run distribution (org.camunda.bpm.run:camunda-bpm-run, its tar.gz) and its
 * parts (camunda-bpm-run-core, -modules-*) only to its own Nexus, which is not reachable from here;
 * Maven Central has none of them at any version. So install() builds the same tree the Run assembly
 * (distro/run/assembly and distro/run/distro at 7.24.0) and the image's download.sh make, from the
 * same published pieces: internal/rest and internal/webapps are the runtime dependencies of
 * Camunda's REST and webapp Spring Boot starters with the same artifacts left to the core as
 * `provided`, configuration/userlib holds H2, Groovy and the PostgreSQL and MySQL drivers at the
 * versions camunda-database-settings 7.24.0 names, and internal/camunda-bpm-run-core.jar is a Spring
 * Boot launcher (PropertiesLauncher, so run.sh's `-Dloader.path` works) over the core's 7.24.0
 * dependencies. Only its few own classes differ: a small stand-in for Run's REST configuration
 * (Camunda's classes for the work itself), described in `differences`. Versions come from Camunda's
 * parent poms, downloaded and checked against Central's SHA-1; Maven resolves from Central only.
 */
export const CAMUNDA_DISTRIBUTION: ProductDistribution = {
  product: 'camunda',
  version: VERSION,
  source: `Maven Central: Camunda ${VERSION}'s Spring Boot starters (rest, webapp), engine plugins and camunda-database-settings, laid out as the run-${VERSION} image's /camunda (Camunda Run's own assembly is only on Camunda's Nexus)`,
  containers: ['camunda'],
  async install(folder, log) {
    const home = path.join(folder, 'camunda');
    // The image runs Alpine's openjdk17-jre-headless; Camunda 7.24 supports Java 17 and 21.
    // A JDK, not only a runtime: install() compiles the stand-in for Run's own classes.
    const java = javaHome(['/usr/lib/jvm/java-17-openjdk-amd64', '/usr/lib/jvm/openjdk-17', '/usr/lib/jvm/temurin-17-jdk-amd64', '/usr/lib/jvm/java-21-openjdk-amd64'], 'javac');
    if (!existsSync(path.join(folder, INSTALLED_MARKER))) {
      rmSync(home, { recursive: true, force: true });
      const versions = await camundaVersions(path.join(folder, 'poms'), log);
      const build = path.join(folder, 'build');
      rmSync(build, { recursive: true, force: true });
      writeMavenBuild(build, home, versions);
      log(`resolving Camunda ${VERSION} from Maven Central with Maven (Spring Boot ${versions.springBoot}); the first time downloads about 200 MB`);
      await maven(build, path.join(folder, 'm2'), java);
      copyFileSync(path.join(build, 'core', 'target', 'camunda-bpm-run-core.jar'), path.join(home, 'internal', 'camunda-bpm-run-core.jar'));
      writeRunScripts(home);
      await runProgram('chmod', ['-R', 'a+rX', home]);
      // The build's own copies (about 100 MB); Maven's repository stays, for a quick re-layout.
      rmSync(build, { recursive: true, force: true });
      writeFileSync(path.join(folder, INSTALLED_MARKER), `${VERSION}\n`);
    }
    return {
      imagePaths: { [IMAGE_HOME]: home },
      // The Dockerfile's ENV; HOME is user camunda's home (adduser -h /camunda), which the runtime sets.
      imageEnv: {
        CAMUNDA_VERSION: VERSION,
        DB_DRIVER: '',
        DB_URL: '',
        DB_USERNAME: '',
        DB_PASSWORD: '',
        DB_CONN_MAXACTIVE: '20',
        DB_CONN_MINIDLE: '5',
        DB_CONN_MAXIDLE: '20',
        DB_VALIDATE_ON_BORROW: 'false',
        DB_VALIDATION_QUERY: 'SELECT 1',
        SKIP_DB_CONFIG: '',
        WAIT_FOR: '',
        WAIT_FOR_TIMEOUT: '30',
        TZ: 'UTC',
        DEBUG: 'false',
        JAVA_OPTS: '',
        JMX_PROMETHEUS: 'false',
        JMX_PROMETHEUS_CONF: '/camunda/javaagent/prometheus-jmx.yml',
        JMX_PROMETHEUS_PORT: '9404',
        HOME: IMAGE_HOME,
        PATH: `${java}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      },
      // ENTRYPOINT ["/sbin/tini", "--"] only reaps zombies and forwards signals; the sandbox's own
      // PID namespace has bubblewrap as its init, so the program starts directly.
      entrypoint: [],
      cmd: ['./camunda.sh'],
      workingDir: IMAGE_HOME,
      limitsEnvironment: jvmContainerLimits,
      differences: [
        `Java runtime ${java} instead of the image's Alpine openjdk17-jre-headless; the host's glibc system instead of the image's Alpine (musl) base; no tini`,
        JVM_LIMITS_DIFFERENCE,
        'Camunda Run\'s own assembly (org.camunda.bpm.run:*) is not on Maven Central: the tree is rebuilt from Camunda\'s published 7.24.0 artifacts with the same layout and classpath',
        'internal/camunda-bpm-run-core.jar: the core\'s 7.24.0 dependencies under Spring Boot\'s PropertiesLauncher, with a stand-in for Run\'s own classes (REST basic authentication, CORS and WADL settings under camunda.bpm.run.*); it refuses camunda.bpm.run.ldap, admin-auth and process-engine-plugins rather than ignore them, and does not deploy configuration/resources (empty in the image)',
        'no LDAP identity plugin (org.camunda.bpm.identity:camunda-identity-ldap 7.24.0 is not on Maven Central), no internal/oauth2 (camunda-bpm-spring-boot-starter-security 7.24.0 is not either) and no internal/example',
        'camunda.sh, camunda-lib.sh and internal/run.sh restate the image\'s scripts (same options, environment mapping and java command line); start.sh, shutdown.sh, the .bat files, configuration/sql, configuration/keystore/keystore.p12, the license book and the JMX exporter agent are not laid out (nothing the pod runs uses them)',
      ],
    };
  },
  async smoke(context) {
    // The kit's production.yml: the administrator is ${CAMUNDA_ADMIN_ID} with the password of the
    // `admin` Secret, Run's REST authentication is on, and the datasource comes from DB_URL.
    const adminId = context.env.CAMUNDA_ADMIN_ID;
    if (!adminId) fail('the pod gives no CAMUNDA_ADMIN_ID, the administrator the kit\'s production.yml creates');
    const password = context.file(ADMIN_PASSWORD_FILE).trim();
    const base = `http://127.0.0.1:${context.port('http')}/engine-rest`;

    // (GET /engine, the list of engines, is the one path Camunda's authentication filter lets through.)
    const profile = `${base}/user/${encodeURIComponent(adminId)}/profile`;
    const anonymous = await fetch(profile);
    if (anonymous.status !== 401) fail(`GET ${profile} without credentials answered ${anonymous.status}, not 401: REST authentication (camunda.bpm.run.auth.enabled) did not take effect`);

    const authorization = `Basic ${Buffer.from(`${adminId}:${password}`).toString('base64')}`;
    const verify = await fetch(`${base}/identity/verify`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: adminId, password }),
    });
    const verified = verify.ok ? ((await verify.json()) as { authenticated?: boolean }) : {};
    if (!verified.authenticated) fail(`the administrator ${adminId} cannot log in with the generated password (POST ${base}/identity/verify answered ${verify.status}); see the log for why the engine did not create it`);

    const groups = await fetch(`${base}/group?member=${encodeURIComponent(adminId)}`, { headers: { Authorization: authorization } });
    const groupIds = groups.ok ? ((await groups.json()) as { id: string }[]).map((g) => g.id) : [];
    if (!groupIds.includes('camunda-admin')) fail(`the administrator ${adminId} is not in group camunda-admin (GET ${base}/group?member= answered ${groups.status}: ${groupIds.join(', ') || 'no groups'})`);

    // The engine's own view of its database (the telemetry data an administrator may read).
    const telemetry = await fetch(`${base}/telemetry/data`, { headers: { Authorization: authorization } });
    const database = telemetry.ok ? ((await telemetry.json()) as { product?: { internals?: { database?: { vendor?: string; version?: string } } } }).product?.internals?.database : undefined;
    if (!database?.vendor || !/postgres/i.test(database.vendor)) {
      fail(`the engine does not run on PostgreSQL (GET ${base}/telemetry/data answered ${telemetry.status}, database ${JSON.stringify(database)}): DB_URL did not take effect`);
    }
    return `REST API refuses anonymous requests (401); administrator ${adminId} logs in with the generated password and is in camunda-admin; the engine runs on ${database.vendor} ${database.version ?? ''}`.trim();
  },
};

interface CamundaVersions {
  readonly springBoot: string;
  readonly groovy: string;
  readonly graalJs: string;
  readonly postgresql: string;
  readonly mysql: string;
}

/** The versions Camunda 7.24.0 builds Run with, read from its parent poms as Central publishes them. */
async function camundaVersions(folder: string, log: (line: string) => void): Promise<CamundaVersions> {
  const parent = readFileSync(await fetchMavenArtifact('org.camunda.bpm', 'camunda-parent', VERSION, 'pom', folder, log), 'utf8');
  const settings = readFileSync(await fetchMavenArtifact('org.camunda.bpm', 'camunda-database-settings', VERSION, 'pom', folder, log), 'utf8');
  const property = (pom: string, name: string) => {
    const value = new RegExp(`<${name.replace(/\./g, '\\.')}>([^<]+)</`).exec(pom)?.[1];
    if (!value) fail(`Camunda's ${VERSION} parent pom names no ${name}`);
    return value;
  };
  return {
    springBoot: property(parent, 'version.spring-boot'),
    groovy: property(parent, 'version.groovy'),
    graalJs: property(parent, 'version.graal.js'),
    postgresql: property(settings, 'version.postgresql'),
    mysql: property(settings, 'version.mysql'),
  };
}

/**
 * Spring Boot and the web stack, which the core jar already holds: Run's modules declare them
 * `provided` (distro/run/modules/pom.xml), so internal/rest and internal/webapps do not repeat them.
 */
const PROVIDED_BY_CORE = [
  'org.camunda.bpm.springboot:camunda-bpm-spring-boot-starter',
  'org.springframework.boot:spring-boot-starter-jersey',
  'org.springframework.boot:spring-boot-starter-json',
  'org.springframework.boot:spring-boot-starter-tomcat',
  'org.springframework.boot:spring-boot-starter-validation',
  'org.springframework.boot:spring-boot-starter',
  'org.springframework.boot:spring-boot-autoconfigure',
  'org.springframework:spring-aop',
  'org.springframework:spring-beans',
  'org.springframework:spring-core',
  'org.springframework:spring-context',
  'org.springframework:spring-expression',
  'org.springframework:spring-web',
];

/** The jars the Run assembly puts into configuration/userlib, and the drivers the image adds. */
const USERLIB = ['com.h2database:h2', 'org.apache.groovy:groovy', 'org.apache.groovy:groovy-jsr223', 'org.apache.groovy:groovy-json', 'org.apache.groovy:groovy-xml', 'org.apache.groovy:groovy-templates', 'org.apache.groovy:groovy-dateutil', 'org.apache.groovy:groovy-datetime', 'org.postgresql:postgresql', 'com.mysql:mysql-connector-j'];

/** Plugin versions pinned, so the build is the same on every machine. */
const PLUGINS = {
  'maven-compiler-plugin': '3.13.0',
  'maven-resources-plugin': '3.3.1',
  'maven-jar-plugin': '3.4.2',
  'maven-surefire-plugin': '3.5.2',
  'maven-dependency-plugin': '3.8.1',
  'maven-install-plugin': '3.1.3',
};

function dependency(coordinates: string, extra = ''): string {
  const [groupId, artifactId, version] = coordinates.split(':');
  return `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId>${version ? `<version>${version}</version>` : ''}${extra}</dependency>`;
}

function copyDependencies(outputDirectory: string, extra = ''): string {
  return `<build><plugins><plugin><artifactId>maven-dependency-plugin</artifactId><executions><execution><phase>package</phase><goals><goal>copy-dependencies</goal></goals>
    <configuration><includeScope>runtime</includeScope><outputDirectory>${outputDirectory}</outputDirectory>${extra}</configuration></execution></executions></plugin></plugins></build>`;
}

function module(artifactId: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <parent><groupId>dev.govstack.products</groupId><artifactId>camunda-run-${VERSION}</artifactId><version>${VERSION}</version></parent>
  <artifactId>${artifactId}</artifactId>
  ${body}
</project>
`;
}

/**
 * A Maven build that makes Run's tree the way Camunda's does: the core as a Spring Boot ZIP-layout
 * jar (distro/run/core), each module's runtime dependencies copied into internal/<module>
 * (distro/run/modules), and the userlib jars. Dependency versions are Camunda's: its database
 * settings and BOM first, then Spring Boot's, as Run's root pom orders them.
 */
function writeMavenBuild(build: string, home: string, versions: CamundaVersions): void {
  const central = mavenRepository();
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(build, file)), { recursive: true });
    writeFileSync(path.join(build, file), text);
  };
  write('settings.xml', `<settings><mirrors><mirror><id>maven-central-only</id><mirrorOf>*</mirrorOf><url>${central}</url></mirror></mirrors></settings>\n`);
  const providedByCore = `<dependencyManagement><dependencies>${PROVIDED_BY_CORE.map((c) => dependency(c, '<scope>provided</scope>')).join('')}</dependencies></dependencyManagement>`;
  write('pom.xml', `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>dev.govstack.products</groupId><artifactId>camunda-run-${VERSION}</artifactId><version>${VERSION}</version><packaging>pom</packaging>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>17</maven.compiler.release>
  </properties>
  <modules><module>core</module><module>rest</module><module>webapps</module><module>userlib</module></modules>
  <dependencyManagement><dependencies>
    ${dependency(`org.camunda.bpm:camunda-database-settings:${VERSION}`, '<type>pom</type><scope>import</scope>')}
    ${dependency(`org.camunda.bpm:camunda-bom:${VERSION}`, '<type>pom</type><scope>import</scope>')}
    ${dependency(`org.springframework.boot:spring-boot-dependencies:${versions.springBoot}`, '<type>pom</type><scope>import</scope>')}
    ${dependency(`org.graalvm.js:js:${versions.graalJs}`)}
    ${dependency(`org.graalvm.js:js-scriptengine:${versions.graalJs}`)}
    ${dependency(`org.postgresql:postgresql:${versions.postgresql}`)}
    ${dependency(`com.mysql:mysql-connector-j:${versions.mysql}`)}
  </dependencies></dependencyManagement>
  <build><pluginManagement><plugins>
    ${Object.entries(PLUGINS).map(([artifactId, version]) => `<plugin><artifactId>${artifactId}</artifactId><version>${version}</version></plugin>`).join('\n    ')}
    <plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId><version>${versions.springBoot}</version></plugin>
  </plugins></pluginManagement></build>
</project>
`);
  // distro/run/core's dependencies; camunda-identity-ldap 7.24.0 is not on Central (see differences).
  write('core/pom.xml', module('camunda-bpm-run-core', `<packaging>jar</packaging>
  <dependencies>
    ${['org.camunda.bpm.springboot:camunda-bpm-spring-boot-starter', 'org.camunda.bpm:camunda-engine-plugin-spin', 'org.camunda.bpm:camunda-engine-plugin-connect', 'org.camunda.spin:camunda-spin-dataformat-all', 'org.camunda.bpm.springboot:camunda-bpm-spring-boot-starter-rest', 'org.springframework.boot:spring-boot-starter-jdbc', 'org.springframework:spring-webmvc', 'org.graalvm.js:js', 'org.graalvm.js:js-scriptengine'].map((c) => dependency(c)).join('\n    ')}
    ${dependency('org.apache.tomcat.embed:tomcat-embed-core', '<exclusions><exclusion><groupId>org.apache.tomcat</groupId><artifactId>tomcat-annotations-api</artifactId></exclusion></exclusions>')}
  </dependencies>
  <build><finalName>camunda-bpm-run-core</finalName><plugins>
    <plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId>
      <configuration><layout>ZIP</layout><mainClass>${STAND_IN_CLASS}</mainClass>
        <excludes><exclude><groupId>org.camunda.bpm.springboot</groupId><artifactId>camunda-bpm-spring-boot-starter-rest</artifactId></exclude></excludes></configuration>
      <executions><execution><goals><goal>repackage</goal></goals></execution></executions></plugin>
  </plugins></build>`));
  write(`core/src/main/java/${STAND_IN_CLASS.replace(/\./g, '/')}.java`, STAND_IN_SOURCE);
  write('rest/pom.xml', module('camunda-bpm-run-modules-rest', `<packaging>pom</packaging>
  ${providedByCore}
  <dependencies>${dependency('org.camunda.bpm.springboot:camunda-bpm-spring-boot-starter-rest')}</dependencies>
  ${copyDependencies(path.join(home, 'internal', 'rest'))}`));
  write('webapps/pom.xml', module('camunda-bpm-run-modules-webapps', `<packaging>pom</packaging>
  ${providedByCore}
  <dependencies>${dependency('org.camunda.bpm.springboot:camunda-bpm-spring-boot-starter-webapp')}${dependency('org.springframework:spring-webmvc', '<scope>provided</scope>')}</dependencies>
  ${copyDependencies(path.join(home, 'internal', 'webapps'))}`));
  // distro/run/assembly's userlib (Groovy at Camunda's version), and download.sh's two drivers.
  write('userlib/pom.xml', module('camunda-bpm-run-userlib', `<packaging>pom</packaging>
  <dependencyManagement><dependencies>${dependency(`org.apache.groovy:groovy-bom:${versions.groovy}`, '<type>pom</type><scope>import</scope>')}</dependencies></dependencyManagement>
  <dependencies>${USERLIB.filter((c) => c !== 'org.apache.groovy:groovy').map((c) => dependency(c)).join('')}</dependencies>
  ${copyDependencies(path.join(home, 'configuration', 'userlib'), `<includeArtifactIds>${USERLIB.map((c) => c.split(':')[1]).join(',')}</includeArtifactIds>`)}`));
}

const STAND_IN_CLASS = 'dev.govstack.kit.camundarun.CamundaRunStandIn';

/**
 * The only code in the tree that is not Camunda's: the launcher class, in place of Run's own
 * (org.camunda.bpm.run, not on Central). It starts Camunda's Spring Boot auto-configuration and
 * does what Run's configuration adds for the REST API under camunda.bpm.run.*, with Camunda's
 * ProcessEngineAuthenticationFilter and Tomcat's CorsFilter; Run options it cannot honour stop it.
 */
const STAND_IN_SOURCE = `package dev.govstack.kit.camundarun;

import jakarta.servlet.Filter;
import java.util.Map;
import org.apache.catalina.filters.CorsFilter;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.spring.boot.starter.rest.CamundaJerseyResourceConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.web.servlet.JerseyApplicationPath;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Stands in for Camunda Run's launcher, which is not on Maven Central (GovStack kit product harness). */
@SpringBootApplication
public class CamundaRunStandIn {

  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(CamundaRunStandIn.class);
    application.addInitializers(context -> refuseWhatIsMissing(context.getEnvironment()));
    application.run(args);
  }

  /** Run options this stand-in has no code for: stopping beats silently running without them. */
  static void refuseWhatIsMissing(Environment environment) {
    for (String option : new String[] {"camunda.bpm.run.ldap.enabled", "camunda.bpm.run.admin-auth.enabled"}) {
      if (environment.getProperty(option, Boolean.class, false)) {
        throw new IllegalStateException(option + " is true, but this stand-in for Camunda Run has no LDAP or administrator authorization plugin");
      }
    }
    if (environment.containsProperty("camunda.bpm.run.process-engine-plugins[0].plugin-class")) {
      throw new IllegalStateException("camunda.bpm.run.process-engine-plugins is set, but this stand-in for Camunda Run does not register plugins from YAML");
    }
  }

  /** Active when --rest puts Camunda's REST starter on the loader path, as Run's REST configuration is. */
  @Configuration
  @ConditionalOnClass(name = "org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestInitializer")
  static class RestApi {

    @Bean
    @ConditionalOnProperty(name = "camunda.bpm.run.auth.enabled", havingValue = "true")
    FilterRegistrationBean<Filter> restAuthentication(JerseyApplicationPath restPath, Environment environment) {
      String method = environment.getProperty("camunda.bpm.run.auth.authentication", "basic");
      if (!method.equals("basic")) {
        throw new IllegalStateException("camunda.bpm.run.auth.authentication is " + method + "; Camunda Run knows only basic");
      }
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
      registration.setName("camunda-auth");
      registration.setOrder(1);
      registration.addUrlPatterns(restPath.getUrlMapping());
      registration.addInitParameter("authentication-provider", "org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider");
      return registration;
    }

    @Bean
    @ConditionalOnProperty(name = "camunda.bpm.run.cors.enabled", havingValue = "true")
    FilterRegistrationBean<Filter> restCors(JerseyApplicationPath restPath, Environment environment) {
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new CorsFilter());
      registration.setName("camunda-cors");
      registration.setOrder(0);
      registration.addUrlPatterns(restPath.getUrlMapping());
      registration.addInitParameter("cors.allowed.origins", environment.getProperty("camunda.bpm.run.cors.allowed-origins", "*"));
      registration.addInitParameter("cors.allowed.methods", "GET,POST,HEAD,OPTIONS,PUT,DELETE");
      registration.addInitParameter("cors.allowed.headers", environment.getProperty("camunda.bpm.run.cors.allowed-headers",
          "Origin,Accept,X-Requested-With,Content-Type,Access-Control-Request-Method,Access-Control-Request-Headers"));
      registration.addInitParameter("cors.exposed.headers", environment.getProperty("camunda.bpm.run.cors.exposed-headers", ""));
      registration.addInitParameter("cors.support.credentials", environment.getProperty("camunda.bpm.run.cors.allow-credentials", "false"));
      registration.addInitParameter("cors.preflight.maxage", environment.getProperty("camunda.bpm.run.cors.preflight-max-age", "1800"));
      return registration;
    }

    @Bean
    CamundaJerseyResourceConfig camundaJerseyResourceConfig(Environment environment) {
      CamundaJerseyResourceConfig config = new CamundaJerseyResourceConfig();
      config.setProperties(Map.of("jersey.config.server.wadl.disableWadl", environment.getProperty("camunda.bpm.run.rest.disable-wadl", Boolean.class, false)));
      return config;
    }
  }
}
`;

/**
 * The image's scripts and Run's configuration files, restated from Camunda's sources at 7.24.0
 * (docker-camunda-bpm-platform's camunda-run.sh and camunda-lib.sh, distro/run/assembly/resources):
 * the same options, environment mapping, classpath and java command line, so the pod's args run
 * unchanged and fail where the image's would.
 */
export function writeRunScripts(home: string): void {
  const write = (file: string, text: string, mode = 0o644) => {
    mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
    writeFileSync(path.join(home, file), text, { mode });
  };
  write('camunda-lib.sh', `# Waits for each host:port of WAIT_FOR in turn until one answers (the image's camunda-lib.sh).
wait_for_it() {
  [ -n "\${WAIT_FOR}" ] || return 0
  local target
  for target in $(echo "\${WAIT_FOR}" | tr ',' ' '); do
    if wait-for-it.sh "$target" -s -t "\${WAIT_FOR_TIMEOUT}"; then echo "$target available"; return 0; fi
    echo "$target not available"
  done
  echo "No connection available in WAIT_FOR=\${WAIT_FOR}"
  exit 1
}
`);
  write('camunda.sh', `#!/bin/bash
# The image's entry script (camunda-run.sh): DB_* variables become Spring's datasource settings
# unless those are set, the password may come from DB_PASSWORD_FILE; then Run's own start script.
set -Eeu
trap 'Error on line $LINENO' ERR
source "$(dirname "$0")/camunda-lib.sh"

if [[ -z "\${DB_PASSWORD:-}" && -n "\${DB_PASSWORD_FILE:-}" && -f "\${DB_PASSWORD_FILE}" ]]; then
  export DB_PASSWORD="$(< "\${DB_PASSWORD_FILE}")"
fi
[[ -n "\${SPRING_DATASOURCE_DRIVER_CLASS_NAME:-}" || -z "\${DB_DRIVER:-}" ]] || export SPRING_DATASOURCE_DRIVER_CLASS_NAME="\${DB_DRIVER}"
[[ -n "\${SPRING_DATASOURCE_PASSWORD:-}" || -z "\${DB_PASSWORD:-}" ]] || export SPRING_DATASOURCE_PASSWORD="\${DB_PASSWORD}"
[[ -n "\${SPRING_DATASOURCE_USERNAME:-}" || -z "\${DB_USERNAME:-}" ]] || export SPRING_DATASOURCE_USERNAME="\${DB_USERNAME}"
[[ -n "\${SPRING_DATASOURCE_URL:-}" || -z "\${DB_URL:-}" ]] || export SPRING_DATASOURCE_URL="\${DB_URL}"

wait_for_it
exec /camunda/internal/run.sh start "$@"
`, 0o755);
  write('internal/run.sh', `#!/bin/bash
# Camunda Run's internal/run.sh (7.24.0): each option adds a module folder to Spring Boot's loader
# path; --production swaps default.yml for production.yml; anything else is refused.
BASEDIR=$(dirname "$0")
PARENTDIR=$(builtin cd "$BASEDIR/.."; pwd)
PID_PATH=$BASEDIR/run.pid
HELP="Options:
  --webapps    - Enables the Camunda Platform Webapps
  --oauth2     - Enables the Camunda Platform Spring Security OAuth2 integration
  --rest       - Enables the REST API
  --example    - Enables the example application
  --production - Applies the production.yaml configuration file
  --detached   - Starts Camunda Run as a detached process
"

case "$1" in
  start) shift ;;
  stop)
    if [ -s "$PID_PATH" ]; then kill "$(cat "$PID_PATH")"; rm "$PID_PATH"; echo "Camunda Run is shutting down."; exit 0; fi
    echo "There is no instance of Camunda Run to shut down."; exit 1 ;;
  *) printf "Usage: run.sh [start|stop] (options...) \\n%s" "$HELP"; exit 0 ;;
esac

if [ -z "$JAVA" ]; then
  if [ -n "$JAVA_HOME" ]; then echo Setting JAVA property to "$JAVA_HOME/bin/java"; JAVA="$JAVA_HOME/bin/java"
  else echo JAVA_HOME is not set. Unexpected results may occur.; echo Set JAVA_HOME to the directory of your local JDK to avoid this message.; JAVA=java; fi
fi
JAVA_VERSION_STRING=$("$JAVA" -version 2>&1 | head -1 | cut -d'"' -f2)
echo Java version is $JAVA_VERSION_STRING
if [[ "$(echo "$JAVA_VERSION_STRING" | sed '/^0\\./s///' | cut -d'.' -f1)" -lt 17 ]]; then
  echo You must use at least JDK 17 to start Camunda Platform Run.
  exit 1
fi
[ -z "$JAVA_OPTS" ] || echo JAVA_OPTS: $JAVA_OPTS

classPath=$PARENTDIR/configuration/userlib/,$PARENTDIR/configuration/keystore/
configuration=$PARENTDIR/configuration/default.yml
componentChosen=false
production=false
detached=false
while [ "$1" != "" ]; do
  case $1 in
    --webapps)    componentChosen=true; classPath=$BASEDIR/webapps/,$classPath; echo WebApps enabled ;;
    --oauth2)     componentChosen=true; classPath=$BASEDIR/oauth2/,$classPath; echo Spring Security OAuth2 enabled ;;
    --rest)       componentChosen=true; classPath=$BASEDIR/rest/,$classPath; echo REST API enabled ;;
    --example)    componentChosen=true; classPath=$BASEDIR/example,$classPath; echo Invoice Example included - needs to be enabled in application configuration as well ;;
    --production) production=true; configuration=$PARENTDIR/configuration/production.yml ;;
    --detached)   detached=true; echo Camunda Run will start in the background. Use the shutdown.sh script to stop it ;;
    --help)       printf "%s" "$HELP"; exit 0 ;;
    *)            printf "Unexpected argument '%s'!" "$1"; printf "%s" "$HELP"; exit 1 ;;
  esac
  shift
done

# No component chosen: REST and webapps, and outside production the example too.
if [ "$componentChosen" = "false" ]; then
  echo REST API enabled
  echo WebApps enabled
  if [ "$production" = "false" ]; then
    echo Invoice Example included - needs to be enabled in application configuration as well
    classPath=$BASEDIR/example,$classPath
  fi
  classPath=$BASEDIR/webapps/,$BASEDIR/rest/,$classPath
fi
echo classpath: $classPath

command=("$JAVA" -Dloader.path="$classPath" -Dcamunda.deploymentDir="$PARENTDIR/configuration/resources")
if [ "$detached" = "true" ]; then
  if [ -s "$PID_PATH" ]; then echo "A Camunda Run instance is already in operation (process id $(cat "$PID_PATH"))."; exit 1; fi
  "\${command[@]}" $JAVA_OPTS -jar "$BASEDIR/camunda-bpm-run-core.jar" --spring.config.location=file:"$configuration" &
  echo $! > "$PID_PATH"
else
  "\${command[@]}" $JAVA_OPTS -jar "$BASEDIR/camunda-bpm-run-core.jar" --spring.config.location=file:"$configuration"
fi
`, 0o755);
  write('configuration/default.yml', `# Camunda Run's default.yml (7.24.0): demo administrator, H2 in the working folder, open CORS.
camunda.bpm:
  admin-user: { id: demo, password: demo }
  filter: { create: All tasks }
  run:
    cors: { enabled: true, allowed-origins: "*" }
    rest: { disable-wadl: false }
    deployment: { deploy-changed-only: true }
    example: { enabled: true }
spring.datasource:
  url: jdbc:h2:./camunda-h2-default/process-engine;TRACE_LEVEL_FILE=0;DB_CLOSE_ON_EXIT=FALSE
  driver-class-name: org.h2.Driver
  username: sa
  password: sa
spring.web.resources:
  static-locations: NULL
`);
  write('configuration/production.yml', `# Camunda Run's production.yml (7.24.0), which --production selects and the kit's pod mounts over.
camunda.bpm:
  webapp:
    csrf: { enable-same-site-cookie: true, same-site-cookie-option: STRICT }
    header-security: { hsts-disabled: false }
  authorization.enabled: true
  generic-properties.properties:
    deserialization-type-validation-enabled: true
    deserialization-allowed-packages:
    deserialization-allowed-classes:
    enable-password-policy: true
  run:
    auth.enabled: true
    rest.disable-wadl: true
    deployment.deploy-changed-only: true
server:
  ssl: { key-store: classpath:keystore.p12, key-store-password: camunda, key-store-type: pkcs12, key-alias: camunda, key-password: camunda }
  port: 8443
  servlet.session.cookie: { secure: true, http-only: true }
logging:
  level.root: INFO
  file.name: logs/camunda-bpm-run.log
spring.datasource:
  url: jdbc:h2:./camunda-h2-test-production/process-engine;TRACE_LEVEL_FILE=0;DB_CLOSE_ON_EXIT=FALSE
  driver-class-name: org.h2.Driver
  username: sa
  password: sa
spring.web.resources:
  static-locations: NULL
`);
  for (const folder of ['configuration/resources', 'configuration/keystore']) mkdirSync(path.join(home, folder), { recursive: true });
}

/** Runs the generated build offline from everything but Central, checksums enforced. */
async function maven(build: string, repository: string, java: string): Promise<void> {
  const args = ['-B', '-q', '--strict-checksums', '-s', path.join(build, 'settings.xml'), `-Dmaven.repo.local=${repository}`, '-Dmaven.test.skip=true', '-f', path.join(build, 'pom.xml'), 'package'];
  await runProgram('mvn', args, { env: { ...process.env, JAVA_HOME: java }, missing: 'Maven (`mvn`) is needed to resolve Camunda\'s dependencies: install Debian\'s maven package' });
}

function fail(message: string): never {
  throw new HarnessError(message);
}

