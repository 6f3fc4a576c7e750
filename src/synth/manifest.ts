/** A Kubernetes object as synthesised: plain JSON, ready for YAML, policies and validation. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** Folder name for objects that belong to no namespace. */
export const CLUSTER_SCOPED_FOLDER = '_cluster';

/** Kinds that have no namespace; any other kind must name its namespace explicitly. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'StorageClass',
  'PriorityClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'GatewayClass',
  'ClusterIssuer',
  'ClusterSecretStore',
  'ClusterExternalSecret',
  'ClusterGenerator',
  'ClusterPolicy',
  'IngressClass',
  'PersistentVolume',
  'APIService',
  'CSIDriver',
  'CSINode',
  'RuntimeClass',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'CertificateSigningRequest',
  'VolumeAttachment',
  'VolumeSnapshotClass',
  'VolumeSnapshotContent',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'DeviceClass',
  'Node',
]);

export function isClusterScoped(manifest: Manifest): boolean {
  return CLUSTER_SCOPED_KINDS.has(manifest.kind);
}

/** `kind/namespace/name`: how reports and errors name one object. */
export function objectId(manifest: Manifest): string {
  return [manifest.kind, manifest.metadata.namespace, manifest.metadata.name].filter(Boolean).join('/');
}
