/**
 * The one module that imports Terraform provider bindings.
 *
 * Each class comes from its `lib/<resource>` path: the package roots load every resource of the
 * provider (~2.6 s and ~195 MB for kubernetes), the single files a fraction of that. Keeping every
 * import here means the move from cdktf 0.21 to its fork cdktn stays a rename in one place.
 */
export { HelmProvider } from '@cdktf/provider-helm/lib/provider';
export { Release as HelmRelease, type ReleaseConfig as HelmReleaseConfig } from '@cdktf/provider-helm/lib/release';
export { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
export { NamespaceV1 as KubernetesNamespace } from '@cdktf/provider-kubernetes/lib/namespace-v1';
