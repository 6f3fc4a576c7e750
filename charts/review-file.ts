import { Construct } from 'constructs';

export interface ReviewFileProps {
  /** Path under `dist/<env>/`, e.g. `xroad-service-catalogue.md`. */
  readonly file: string;
  readonly content: string;
}

/**
 * A file for reviewers written next to an environment's manifests (`dist/<env>/<file>`): a view of
 * the same objects that is easier to review than YAML, such as the X-Road service catalogue.
 * Declared inside a KitChart; the synthesis writes every one it finds.
 */
export class ReviewFile extends Construct {
  static isReviewFile(x: unknown): x is ReviewFile {
    return x instanceof ReviewFile;
  }

  readonly file: string;
  readonly content: string;

  constructor(scope: Construct, id: string, props: ReviewFileProps) {
    super(scope, id);
    // manifests/ and upstream-charts/ are the synthesis's own folders.
    if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/.test(props.file) || /^(manifests|upstream-charts)\//.test(props.file)) {
      throw new Error(`review document "${props.file}" must be a relative lowercase path outside manifests/ and upstream-charts/`);
    }
    this.file = props.file;
    this.content = props.content;
  }
}
