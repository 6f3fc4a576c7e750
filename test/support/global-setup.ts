import { makeScratchFolder } from './scratch-folder';

// Jest passes its configuration; the scratch folder is made in this process's own environment.
export default (): void => makeScratchFolder();
