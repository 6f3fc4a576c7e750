/**
 * Which Security Server sidecar images NIIS publishes, and the one tag an environment gets.
 * Facts from nordic-institute/X-Road 7.8.0 `sidecar/docker-build.sh` and the publish pipeline: the
 * tag is `<version>[-slim][-primary|-secondary][-<country>]` with the country code last; there is no
 * slim Estonian image and no Faroese primary/secondary image. The environment schema asks
 * `securityServerImageProblem` so the rule lives here only.
 */

import type { PinConfirmation } from '../pins';

/** The part of `xroad.securityServer` that decides the image. */
export interface SidecarImageChoice {
  readonly version: string;
  readonly variant: 'full' | 'slim';
  readonly countryVariant: 'none' | 'ee' | 'fi' | 'fo' | 'is';
  readonly topology: 'single' | 'primary-secondaries';
}

/** Which node of a security server a pod runs: the whole server, or a primary/secondary of a cluster. */
export type SidecarNodeRole = 'single' | 'primary' | 'secondary';

export const SIDECAR_REPOSITORY = 'niis/xroad-security-server-sidecar';

/** Where the X-Road release of every security server image can be confirmed (`npm run pins`). */
export const XROAD_RELEASE_CONFIRMATION: PinConfirmation = {
  unavailable: 'NIIS publishes X-Road (Java) to its own package repositories, not Maven Central; the release is the version\'s tag in nordic-institute/X-Road',
};

export interface SidecarImageProblem {
  readonly field: 'countryVariant';
  readonly expected: string;
}

/** Why NIIS has no image for this choice, or undefined when it has one. */
export function securityServerImageProblem(choice: SidecarImageChoice): SidecarImageProblem | undefined {
  if (choice.variant === 'slim' && choice.countryVariant === 'ee') {
    return {
      field: 'countryVariant',
      expected: '"none", "fi", "fo" or "is" with variant slim: NIIS publishes the Estonian (ee) variant only as a full image',
    };
  }
  if (choice.countryVariant === 'fo' && choice.topology === 'primary-secondaries') {
    return {
      field: 'countryVariant',
      expected: '"none", "ee", "fi" or "is" with primary-secondaries: NIIS builds no Faroese (fo) primary or secondary image',
    };
  }
  return undefined;
}

/** The image tag, e.g. `7.8.0-slim-primary-fi`; throws for a combination NIIS does not build. */
export function securityServerImageTag(choice: SidecarImageChoice, role: SidecarNodeRole): string {
  const problem = securityServerImageProblem(choice);
  if (problem) throw new Error(`no security server image for ${JSON.stringify(choice)}: expected ${problem.expected}`);
  if ((role === 'single') !== (choice.topology === 'single')) {
    throw new Error(`a ${role} node does not belong to the ${choice.topology} topology`);
  }
  return [
    choice.version,
    choice.variant === 'slim' ? 'slim' : undefined,
    role === 'single' ? undefined : role,
    choice.countryVariant === 'none' ? undefined : choice.countryVariant,
  ]
    .filter(Boolean)
    .join('-');
}

/** `niis/xroad-security-server-sidecar:<tag>` before mirror and digest resolution (`resolveImage`). */
export function securityServerImage(choice: SidecarImageChoice, role: SidecarNodeRole): string {
  return `${SIDECAR_REPOSITORY}:${securityServerImageTag(choice, role)}`;
}
