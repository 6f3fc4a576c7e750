import { CATALOGUE } from '../../constructs/catalogue/catalogue';
import type { CatalogueEntry, UpstreamChartEntry } from '../../constructs/catalogue/types';
import { POSTGRES_IMAGE_CONFIRMATIONS, POSTGRES_IMAGES } from '../../constructs/data/postgres-cluster';
import { VALKEY_IMAGE, VALKEY_IMAGE_CONFIRMATION } from '../../constructs/data/valkey';
import type { Environment } from '../../constructs/environment/schema';
import { DEVELOPMENT_CENTRAL_SERVER_CONFIRMATION, developmentCentralServerImage } from '../../constructs/information-mediator/development-central-server';
import { securityServerImage, XROAD_RELEASE_CONFIRMATION, type SidecarNodeRole } from '../../constructs/information-mediator/sidecar-image';
import type { ChartPinConfirmations, PinConfirmation } from '../../constructs/pins';
import { PINNED_CHARTS, type PinnedChart } from '../../constructs/platform/pinned-charts';

/** One image tag or chart version the kit pins, with where it is pinned and how its release is confirmed. */
export interface Pin {
  readonly kind: 'image' | 'chart';
  /** `registry/repository:tag` of an image; `chart version (repository)` of a chart. */
  readonly reference: string;
  /** The tag or chart version as pinned. */
  readonly version: string;
  /** A chart's name, to look it up in a chart mirror's index. */
  readonly chart?: string;
  /** Every place that pins it: file, then the key inside. */
  readonly where: readonly string[];
  /** Undefined when the pin declares none: the spec of pins refuses that. */
  readonly confirm: PinConfirmation | undefined;
}

const PINNED_CHARTS_FILE = 'constructs/platform/pinned-charts.ts';

/** The file that holds a catalogue entry (one per product). */
export function catalogueFile(entry: CatalogueEntry): string {
  return `constructs/catalogue/products/${entry.product}.ts`;
}

/** The tag of `repository:tag` (a port in the registry host is not a tag). */
export function imageTag(image: string): string {
  const name = image.slice(image.lastIndexOf('/') + 1);
  return name.includes(':') ? name.slice(name.indexOf(':') + 1) : 'latest';
}

/**
 * Every pin of the kit: the platform's charts and their images, each catalogue entry's images and
 * upstream charts, the data services' images, and the X-Road images the given environments choose.
 * A release pinned in several places is one pin listing every place (when they confirm it alike).
 */
export function collectPins(environments: readonly Environment[]): Pin[] {
  const pins = new Map<string, { pin: Omit<Pin, 'where'>; where: string[] }>();
  const add = (kind: Pin['kind'], reference: string, version: string, where: string, confirm: PinConfirmation | undefined, chart?: string) => {
    const key = `${kind} ${reference} ${JSON.stringify(confirm ?? null)}`;
    const known = pins.get(key);
    if (known) {
      if (!known.where.includes(where)) known.where.push(where);
    } else {
      pins.set(key, { pin: { kind, reference, version, confirm, ...(chart ? { chart } : {}) }, where: [where] });
    }
  };
  const addChart = (chart: PinnedChart | UpstreamChartEntry, confirm: ChartPinConfirmations | undefined, where: string) => {
    add('chart', `${chart.chart} ${chart.version} (${chart.repository})`, chart.version, where, confirm?.chart, chart.chart);
    for (const [role, image] of Object.entries(chart.images)) add('image', image, imageTag(image), `${where}.images.${role}`, confirm?.images[role]);
  };

  for (const [name, chart] of Object.entries(PINNED_CHARTS) as [string, PinnedChart][]) {
    addChart(chart, chart.confirm, `${PINNED_CHARTS_FILE} PINNED_CHARTS.${name}`);
  }
  for (const entry of CATALOGUE) {
    const where = `${catalogueFile(entry)} ${entry.buildingBlock} ${entry.product} ${entry.version}`;
    for (const component of entry.components) {
      for (const container of [...(component.initContainers ?? []), ...component.containers]) {
        add('image', container.image, imageTag(container.image), `${where} ${component.name}/${container.name}`, entry.confirm[container.image]);
      }
    }
    if (entry.deployment.kind === 'upstream-chart') {
      for (const chart of entry.deployment.charts) addChart(chart, chart.confirm, `${where} chart ${chart.chart}`);
    }
  }
  for (const [major, image] of Object.entries(POSTGRES_IMAGES)) {
    add('image', image, imageTag(image), `constructs/data/postgres-cluster.ts POSTGRES_IMAGES.${major}`, POSTGRES_IMAGE_CONFIRMATIONS[major as keyof typeof POSTGRES_IMAGES]);
  }
  add('image', VALKEY_IMAGE, imageTag(VALKEY_IMAGE), 'constructs/data/valkey.ts VALKEY_IMAGE', VALKEY_IMAGE_CONFIRMATION);
  for (const env of environments) {
    const where = `environments/${env.name}/environment.yaml xroad.securityServer (its defaults in constructs/environment/defaults.ts)`;
    const choice = env.xroad.securityServer;
    const roles: SidecarNodeRole[] = choice.topology === 'single' ? ['single'] : ['primary', 'secondary'];
    for (const role of roles) {
      const image = securityServerImage(choice, role);
      add('image', image, imageTag(image), where, XROAD_RELEASE_CONFIRMATION);
    }
    if (env.xroad.centralServer.mode === 'development') {
      const image = developmentCentralServerImage(env);
      add('image', image, imageTag(image), where, DEVELOPMENT_CENTRAL_SERVER_CONFIRMATION);
    }
  }
  return [...pins.values()].map(({ pin, where }) => ({ ...pin, where }));
}
