import { k8s } from 'cdk8s-plus-28';
import { imagePullPolicy } from '../images';
import type { Environment } from '../environment/schema';
import { CLIENT_PORTS, XROAD_PORTS, type SecurityServerNodeRole } from './contract';
import { helperResources, XROAD_SERVER_SCRATCH, xroadServerSecurityContext } from './pod-security';

/** Where the database of a security server is, when it is not the one inside the container. */
export interface ExternalDatabase {
  readonly host: string;
  readonly port: number;
  /** Secret with the PostgreSQL superuser's `password` (X-Road creates its own databases and roles). */
  readonly superuserSecret: string;
  /** Prefix of the databases X-Road creates (`<prefix>_serverconf`, …). */
  readonly databasePrefix: string;
}

export interface SecurityServerContainerProps {
  readonly env: Pick<Environment, 'xroad'>;
  readonly role: SecurityServerNodeRole;
  readonly image: string;
  readonly adminUser: string;
  /** Secret with `admin-password` and `token-pin`. */
  readonly credentialsSecret: string;
  /**
   * Primary and single nodes only: read on the first start, when `/etc/xroad/db.properties` does not exist.
   * @default the PostgreSQL inside the container (no `XROAD_DB_*` variables are set)
   */
  readonly database?: ExternalDatabase;
  /**
   * Secondaries only: DNS name of the primary to rsync `/etc/xroad` from.
   * @default no `XROAD_PRIMARY_DNS`: the node is not a secondary
   */
  readonly primaryDns?: string;
  readonly volumeMounts: readonly k8s.VolumeMount[];
}

/**
 * Why the sidecar's secrets reach it through its environment (SEC-02), from NIIS's 7.8.0 sources:
 * `_entrypoint_common.sh` takes the admin password and the external database's superuser password
 * only from these variables and blanks them before supervisord starts the services; autologin
 * (`custom-fetch-pin.sh`) reads the token PIN from XROAD_TOKEN_PIN, its only alternative being
 * `/etc/xroad/autologin`, which lives on the configuration volume, goes into every configuration
 * backup and is rsynced to each secondary.
 */
export const SIDECAR_ENV_SECRETS_REASON =
  'NIIS\'s sidecar entrypoint takes the admin and database superuser passwords only from XROAD_ADMIN_PASSWORD and XROAD_DB_PWD, and blanks both before the X-Road services start; autologin reads XROAD_TOKEN_PIN, whose only alternative, /etc/xroad/autologin, would put the PIN on the configuration volume, into every configuration backup and onto each secondary';

/** The env contract of NIIS's sidecar entrypoint (`sidecar/files/_entrypoint_common.sh`), every secret by reference. */
function sidecarEnv(props: SecurityServerContainerProps): k8s.EnvVar[] {
  const fromSecret = (name: string, secret: string, key: string): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
  const env: k8s.EnvVar[] = [
    { name: 'XROAD_ADMIN_USER', value: props.adminUser },
    fromSecret('XROAD_ADMIN_PASSWORD', props.credentialsSecret, 'admin-password'),
    fromSecret('XROAD_TOKEN_PIN', props.credentialsSecret, 'token-pin'),
    { name: 'XROAD_LOG_LEVEL', value: props.env.xroad.securityServer.logLevel },
  ];
  if (props.database) {
    env.push(
      { name: 'XROAD_DB_HOST', value: props.database.host },
      { name: 'XROAD_DB_PORT', value: String(props.database.port) },
      fromSecret('XROAD_DB_PWD', props.database.superuserSecret, 'password'),
      { name: 'XROAD_DATABASE_NAME', value: props.database.databasePrefix },
    );
  }
  if (props.primaryDns) env.push({ name: 'XROAD_PRIMARY_DNS', value: props.primaryDns });
  return env;
}

/**
 * The security server container of one node. Probes as NIIS's Kubernetes guide gives them: the
 * client proxy on 8080 answers once the server runs (startup, liveness); the health check on 5588
 * passes only once the server is initialised, registered and its OCSP status is good (readiness,
 * so traffic reaches only nodes that can serve it, and never liveness).
 */
export function securityServerContainer(props: SecurityServerContainerProps): k8s.Container {
  const full = props.env.xroad.securityServer.variant === 'full';
  const ports: k8s.ContainerPort[] = [
    { name: 'http', containerPort: CLIENT_PORTS.http },
    { name: 'https', containerPort: CLIENT_PORTS.https },
    { name: 'admin', containerPort: XROAD_PORTS.admin },
    { name: 'messaging', containerPort: XROAD_PORTS.messaging },
    { name: 'ocsp', containerPort: XROAD_PORTS.ocsp },
    { name: 'health', containerPort: XROAD_PORTS.health },
    ...(props.role === 'primary' ? [{ name: 'ssh', containerPort: XROAD_PORTS.ssh }] : []),
  ];
  const proxyUp: k8s.HttpGetAction = { path: '/', port: k8s.IntOrString.fromNumber(CLIENT_PORTS.http) };
  return {
    name: 'security-server',
    image: props.image,
    imagePullPolicy: imagePullPolicy(props.image),
    env: sidecarEnv(props),
    ports,
    // A first start runs database migrations: allow ten minutes before liveness applies.
    startupProbe: { httpGet: proxyUp, periodSeconds: 10, failureThreshold: 60, timeoutSeconds: 5 },
    livenessProbe: { httpGet: proxyUp, periodSeconds: 10, failureThreshold: 5, timeoutSeconds: 5 },
    readinessProbe: {
      httpGet: { path: '/', port: k8s.IntOrString.fromNumber(XROAD_PORTS.health) },
      periodSeconds: 10,
      timeoutSeconds: 6,
      failureThreshold: 1,
    },
    // NIIS: at least 2 CPUs and 3 GiB (slim) or 4 GiB (full) at peak; the proxy heap is 25% of the limit.
    resources: helperResources('500m', '2Gi', full ? '4Gi' : '3Gi', '2', XROAD_SERVER_SCRATCH),
    securityContext: xroadServerSecurityContext(),
    volumeMounts: [...props.volumeMounts],
  };
}
