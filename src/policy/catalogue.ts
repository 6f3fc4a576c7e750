import { ADMISSION_CHECKS } from './checks/admission';
import { BACKUP_CHECKS } from './checks/backups';
import { DATA_CHECKS } from './checks/data';
import { IMAGE_CHECKS } from './checks/image';
import { NAMESPACE_CHECKS } from './checks/namespace';
import { NETWORK_CHECKS } from './checks/network';
import { POD_CHECKS } from './checks/pod';
import { RBAC_CHECKS } from './checks/rbac';
import { RELIABILITY_CHECKS } from './checks/reliability';
import { RESOURCE_CHECKS } from './checks/resources';
import { SECRET_CHECKS } from './checks/secrets';
import { TERRAFORM_CHECKS } from './checks/terraform';
import { UPSTREAM_CHECKS } from './checks/upstream';
import { XROAD_CHECKS } from './checks/xroad';
import type { PolicyCheck } from './types';

/**
 * Every check of the security and reliability baseline (POD-, NS-, RBAC-, NET-, IMG-, SEC-, RES-,
 * PRB-, REL- rows), the data rules (DATA-), backups that survive the cluster (BAK-), the Terraform rules (TF-), the rendered upstream
 * charts (UPS-), the kit's own admission policies (ADM-) and authenticated X-Road clients (XRD-), in report order.
 */
export const POLICY_CHECKS: readonly PolicyCheck[] = [
  ...POD_CHECKS,
  ...NAMESPACE_CHECKS,
  ...RBAC_CHECKS,
  ...NETWORK_CHECKS,
  ...IMAGE_CHECKS,
  ...SECRET_CHECKS,
  ...RESOURCE_CHECKS,
  ...RELIABILITY_CHECKS,
  ...DATA_CHECKS,
  ...BACKUP_CHECKS,
  ...TERRAFORM_CHECKS,
  ...UPSTREAM_CHECKS,
  ...ADMISSION_CHECKS,
  ...XROAD_CHECKS,
];

export const CHECK_IDS: readonly string[] = POLICY_CHECKS.map((check) => check.id);
