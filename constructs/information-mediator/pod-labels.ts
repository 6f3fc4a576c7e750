/** Labels of the Information Mediator's own helper pods, and of the pods it talks to, for NetworkPolicies. */

/** NIIS's development central server (sandbox only). */
export const CENTRAL_SERVER_POD_LABELS = { 'app.kubernetes.io/name': 'xroad-central-server' } as const;
/** The sandbox's test certification authority with OCSP responder and time-stamping authority. */
export const TEST_CA_POD_LABELS = { 'app.kubernetes.io/name': 'xroad-test-ca' } as const;
/** The Job that initialises the sandbox instance. */
export const BOOTSTRAP_POD_LABELS = { 'app.kubernetes.io/name': 'xroad-bootstrap' } as const;

/** Central server ports security servers use: global configuration (80, 443), registration (4001), management (4002). */
export const CENTRAL_SERVER_PORTS = { http: 80, https: 443, registration: 4001, management: 4002, admin: 4000 } as const;
/** Test CA ports: signing and OCSP (8888), time-stamping (8899). */
export const TEST_CA_PORTS = { caAndOcsp: 8888, tsa: 8899 } as const;
