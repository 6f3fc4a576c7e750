export * from './types';
export { selectorMatches, selectsPodLabels, selectorIsEmpty, describeSelector } from './label-selector';
export { NamespaceLabels, pinnedNamespaceNames } from './namespaces';
export { cidrContains, ipBlockContains } from './ip-block';
export { protocolOf, namedContainerPort, portAdmits, listensOn } from './ports';
export { podTemplateOf, containerPortsOf, cloudNativePgInstancePod, podsOf, type PodEndpoint, type PodTemplate, type PodSpecWithPorts } from './pods';
export { networkPoliciesOf, isolatingPolicies, sideRules, type Direction, type EffectivePolicy, type EffectiveRule, type SideRules } from './policies';
export { peerSelectsPod, peerNamespaces } from './peers';
export {
  NetworkPolicyModel,
  type Endpoint,
  type ExternalEndpoint,
  type Flow,
  type FlowVerdict,
  type SideVerdict,
  type NetworkPolicyModelOptions,
} from './model';
