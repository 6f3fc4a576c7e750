import type { Construct } from 'constructs';
import type { CatalogueEntry } from '../catalogue';
import type { NamespaceFootprint } from '../baseline/namespace-sizing';
import type { Environment, XRoadMember } from '../environment/schema';
import { resolveImage } from '../images';
import { securityServer, securityServerAddress, securityServerCode, XROAD_NAMESPACE } from './contract';
import { DevelopmentCentralServer, CENTRAL_SERVER_CREDENTIALS } from './development-central-server';
import { GeneratedSecret } from '../data/generated-secret';
import { GeneratedSshKey } from './generated-ssh-key';
import { SecurityServer } from './security-server';
import { SecurityServerNetworkPolicies } from './security-server-network-policies';
import { collectServiceCatalogue, type ServiceCatalogue } from './service-catalogue';
import { ServiceRegistration, type RegistrationInitialisation } from './service-registration';
import { securityServerImage } from './sidecar-image';
import { resilience } from '../environment/resilience';
import type { SecureNamespace } from '../baseline/secure-namespace';

/** Admin user the security servers' entrypoint creates (its password is generated in the cluster). */
export const SECURITY_SERVER_ADMIN_USER = 'xroad-admin';

export interface InformationMediatorOptions {
  /**
   * Catalogue entries whose APIs become X-Road services.
   * @default the products the environment enables, from the kit's catalogue
   */
  readonly catalogueEntries?: readonly CatalogueEntry[];
}

/**
 * The plan of one environment's Information Mediator: names, secrets, the service catalogue and
 * the namespace's budget, with methods that add each part to the chart (Helm release) it belongs to.
 */
export class InformationMediator {
  readonly namespace = XROAD_NAMESPACE;
  readonly catalogue: ServiceCatalogue;
  private readonly clustered: boolean;

  constructor(
    readonly env: Pick<Environment, 'buildingBlocks' | 'cluster' | 'country' | 'ha' | 'name' | 'platform' | 'registry' | 'stage' | 'xroad'>,
    options: InformationMediatorOptions = {},
  ) {
    this.catalogue = collectServiceCatalogue(env, options.catalogueEntries);
    this.clustered = env.xroad.securityServer.topology === 'primary-secondaries';
  }

  get development(): boolean {
    return this.env.xroad.centralServer.mode === 'development';
  }

  /** Requests of everything the namespace runs, its Jobs and a surge node per member included (`namespaceBaseline` adds the headroom). */
  get footprint(): NamespaceFootprint {
    const members = this.env.xroad.members.length;
    const nodes = this.clustered ? 1 + this.env.xroad.securityServer.secondaries : 1;
    const dbInstances = this.clustered ? resilience(this.env).databaseInstances : 0;
    const pods = members * (nodes + 1 + dbInstances + 2) + (this.development ? 4 : 0) + 2;
    const cpu = members * (nodes + 1) * 0.5 + members * dbInstances * 0.25 + 2;
    const memoryGi = members * (nodes + 1) * 2 + members * dbInstances * 1 + (this.development ? 4 : 0) + 2;
    const storageGi = members * (12 + (this.clustered ? 20 * dbInstances : 10)) + (this.development ? 20 : 0);
    return { cpuMillicores: cpu * 1000, memoryMiB: memoryGi * 1024, storageMiB: storageGi * 1024, pods };
  }

  credentialsSecret(member: XRoadMember): string {
    return `${securityServer(member).clientService}-credentials`;
  }

  sshKeySecret(member: XRoadMember): string | undefined {
    return this.clustered ? `${securityServer(member).clientService}-ssh` : undefined;
  }

  /** The security server image of the node holding the configuration; the kit's helper Jobs run in it too. */
  get helperImage(): string {
    return resolveImage(this.env, securityServerImage(this.env.xroad.securityServer, this.clustered ? 'primary' : 'single'));
  }

  /** Joining an external instance, the registration CronJob imports its anchor and initialises the server. */
  private initialisation(member: XRoadMember): RegistrationInitialisation | undefined {
    const anchor = this.env.xroad.centralServer.anchor;
    if (this.development || !anchor) return undefined;
    return {
      anchor,
      ownerMemberClass: member.memberClass,
      ownerMemberCode: member.memberCode,
      serverCode: securityServerCode(member),
      address: securityServerAddress(member),
    };
  }

  /**
   * Every X-Road secret, generated in the cluster once by external-secrets (the kit's one mechanism):
   * each server's admin password and token PIN, the primary–secondary ssh key, the sandbox central
   * server's credentials. The database superuser's password is CloudNativePG's.
   */
  addSecrets(scope: Construct): void {
    const namespace = this.namespace;
    for (const member of this.env.xroad.members) {
      new GeneratedSecret(scope, `Credentials-${member.name}`, { name: this.credentialsSecret(member), namespace, keys: ['admin-password', 'token-pin'] });
      const ssh = this.sshKeySecret(member);
      if (ssh) new GeneratedSshKey(scope, `SshKey-${member.name}`, { name: ssh, namespace });
    }
    if (this.development) new GeneratedSecret(scope, 'CentralServerCredentials', { name: CENTRAL_SERVER_CREDENTIALS, namespace, keys: ['admin-password', 'token-pin'] });
  }

  addDevelopmentCentralServer(scope: Construct): void {
    new DevelopmentCentralServer(scope, 'CentralServer', {
      env: this.env,
      image: this.helperImage,
      securityServerAdminUser: SECURITY_SERVER_ADMIN_USER,
      credentialsSecret: (member) => this.credentialsSecret(member),
    });
  }

  addSecurityServer(scope: Construct, member: XRoadMember, namespace: SecureNamespace): SecurityServer {
    const server = new SecurityServer(scope, 'SecurityServer', {
      env: this.env,
      member,
      namespace,
      adminUser: SECURITY_SERVER_ADMIN_USER,
      credentialsSecret: this.credentialsSecret(member),
      sshKeySecret: this.sshKeySecret(member),
    });
    new SecurityServerNetworkPolicies(scope, 'NetworkPolicies', { env: this.env, server, catalogue: this.catalogue });
    new ServiceRegistration(scope, 'ServiceRegistration', {
      server: server.ref,
      catalogue: this.catalogue,
      image: this.helperImage,
      adminUser: SECURITY_SERVER_ADMIN_USER,
      credentialsSecret: this.credentialsSecret(member),
      initialise: this.initialisation(member),
    });
    return server;
  }
}
