import { version } from '../package.json';

/** The kit's own version, stamped on the charts it packages. */
export const KIT_VERSION: string = version;
