import { paragraph, table, type Section } from '../document';
import { splitImageReference } from '../offline';
import type { ReviewModel } from '../review-model';

export function offlineSection(model: ReviewModel): Section {
  const usedBy = (image: string) => [
    ...model.workloads.filter((w) => w.images.includes(image)).map((w) => `${w.namespace}/${w.name}`),
    ...model.upstreamCharts.filter((c) => c.pulledImages.includes(image)).map((c) => `chart ${c.releaseName}`),
  ];
  const mirror = model.env.registry.mirror;
  return {
    id: 'offline',
    title: 'Offline bundle: images and charts',
    blocks: [
      paragraph(
        `\`images.txt\` lists the ${model.images.length} container image(s) this environment pulls and \`charts.txt\` the ${model.charts.length} upstream chart(s) ` +
          (mirror ? `(images already named as the mirror \`${mirror}\` serves them).` : '(no registry mirror is set: images are named at their source registries).'),
      ),
      table(
        'images',
        ['Repository', 'Tag', 'Digest', 'Used by'],
        model.images.map((image) => {
          const parts = splitImageReference(image);
          return [parts.repository, parts.tag ?? '', parts.digest ?? '', usedBy(image).join('\n')];
        }),
        { empty: 'No image.' },
      ),
      table('charts', ['Repository', 'Chart', 'Version'], model.charts.map((line) => line.split(' ')), { empty: 'No upstream chart.' }),
    ],
  };
}
