/** Where the shell's files are, from the location of the main bundle (dist-electron/main.js). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPaths {
  /** The app folder (the project root in development, `resources/app.asar` when packaged). */
  readonly root: string;
  readonly preload: string;
  readonly utility: string;
  readonly renderer: string;
}

export function appPaths(mainModuleUrl: string): AppPaths {
  const electronDir = path.dirname(fileURLToPath(mainModuleUrl));
  const root = path.dirname(electronDir);
  return {
    root,
    preload: path.join(electronDir, 'preload.cjs'),
    utility: path.join(electronDir, 'analysis-host.js'),
    renderer: path.join(root, 'dist', 'renderer'),
  };
}
