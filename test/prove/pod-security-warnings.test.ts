import { podSecurityViolations, undeclaredViolations } from '../../src/prove/pod-security-warnings';
import { parseWarningHeader } from '../../src/prove/kube-api';

const warning =
  'would violate PodSecurity "restricted:v1.35": host namespaces (hostNetwork=true, hostPID=true), hostPort (container "node-exporter" uses hostPort 9100), ' +
  'allowPrivilegeEscalation != false (container "node-exporter" must set securityContext.allowPrivilegeEscalation=false), restricted volume types (volumes "proc", "sys" use restricted volume type "hostPath")';

describe('PodSecurity warnings on workloads', () => {
  it("splits a warning into Pod Security's reasons and maps each to the kit's check id", () => {
    expect(podSecurityViolations(warning).map((v) => [v.reason, v.check])).toEqual([
      ['host namespaces', 'POD-01'],
      ['hostPort', 'POD-09'],
      ['allowPrivilegeEscalation != false', 'POD-03'],
      ['restricted volume types', 'POD-08'],
    ]);
    expect(podSecurityViolations(warning)[0]).toMatchObject({ level: 'restricted:v1.35', detail: 'hostNetwork=true, hostPID=true' });
  });

  it('ignores other warnings', () => {
    expect(podSecurityViolations('policy/v1beta1 PodDisruptionBudget is deprecated')).toEqual([]);
  });

  it('fails each violation the object (or its chart) declares no exception for', () => {
    const declared = new Map([
      ['POD-01', 'node exporter reads the host'],
      ['POD-08', 'reads /proc and /sys'],
    ]);
    expect(undeclaredViolations([warning], declared).map((v) => v.check)).toEqual(['POD-09', 'POD-03']);
    expect(undeclaredViolations([warning], { 'POD-01': 'r', 'POD-03': 'r', 'POD-08': 'r', 'POD-09': 'r' })).toEqual([]);
  });

  it('fails a reason the kit has no check for, whatever is declared', () => {
    expect(undeclaredViolations(['would violate PodSecurity "baseline:latest": something new (x)'], { 'POD-11': 'r' })).toHaveLength(1);
  });

  it('reads warnings from the Warning header as the API server sends them', () => {
    expect(parseWarningHeader('299 - "would violate PodSecurity \\"restricted:v1.35\\": seccompProfile (x)"')).toEqual([
      'would violate PodSecurity "restricted:v1.35": seccompProfile (x)',
    ]);
  });
});
