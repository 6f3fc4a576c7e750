import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CATALOGUE } from '../../constructs/catalogue/catalogue';
import { PROJECT_ROOT } from '../../constructs/environment/load';
import { PINNED_CHARTS, type PinnedChart } from '../../constructs/platform/pinned-charts';
import { selectEnvironments } from '../../src/cli/select-environments';
import { catalogueFile, collectPins } from '../../src/pins/collect';

const pins = collectPins(selectEnvironments({ all: true }, PROJECT_ROOT));
const upstreamCharts = CATALOGUE.flatMap((entry) => (entry.deployment.kind === 'upstream-chart' ? entry.deployment.charts : []));

describe('every pin names where its release can be confirmed', () => {
  it('covers the platform charts, the catalogue, the data services and X-Road', () => {
    const references = pins.map((pin) => pin.reference);
    expect(references).toEqual(expect.arrayContaining([
      'quay.io/jetstack/cert-manager-controller:v1.21.1',
      'quay.io/keycloak/keycloak:26.7.3',
      'docker.io/mosipid/kernel-keymanager-service:1.2.0.1',
      'docker.io/valkey/valkey:8.1.10-alpine',
      'niis/xroad-security-server-sidecar:7.8.0',
    ]));
    expect(references.filter((reference) => reference.startsWith('cert-manager v1.21.1 '))).toHaveLength(1);
  });

  it('every pinned image and chart version has a confirmation source', () => {
    expect(pins.filter((pin) => pin.confirm === undefined).map((pin) => `${pin.reference} (${pin.where.join('; ')})`)).toEqual([]);
  });

  it('a declared reason for not checking is a sentence, not a placeholder', () => {
    for (const pin of pins) if (pin.confirm && 'unavailable' in pin.confirm) expect(pin.confirm.unavailable.length).toBeGreaterThan(40);
  });

  it('confirms exactly the images each platform chart and upstream chart pulls: none missing, none stale', () => {
    for (const chart of [...(Object.values(PINNED_CHARTS) as PinnedChart[]), ...upstreamCharts]) {
      expect(Object.keys(chart.confirm.images).sort()).toEqual(Object.keys(chart.images).sort());
    }
  });

  it('confirms exactly the images each catalogue entry runs: none missing, none stale', () => {
    for (const entry of CATALOGUE) {
      const images = entry.components.flatMap((component) => [...(component.initContainers ?? []), ...component.containers].map((container) => container.image));
      expect(Object.keys(entry.confirm).sort()).toEqual([...new Set(images)].sort());
    }
  });

  it('names a file of the repository for every place a pin is pinned', () => {
    for (const entry of CATALOGUE) expect(existsSync(path.join(PROJECT_ROOT, catalogueFile(entry)))).toBe(true);
    for (const pin of pins) for (const where of pin.where) expect(existsSync(path.join(PROJECT_ROOT, where.split(' ')[0]))).toBe(true);
  });
});
