import { removeScratchFolder } from './scratch-folder';

// Jest passes its configuration; the scratch folder is removed from this process's own environment.
export default (): void => removeScratchFolder();
