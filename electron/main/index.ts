/**
 * Entry of Electron's main process (bundled to dist-electron/main.js). Before 'ready': privileged
 * schemes, sandbox for every renderer, single-instance lock. The rest is in shell.ts.
 */
import { app } from 'electron';
import { appPaths } from './paths.js';
import { registerPrivilegedSchemes } from './protocols.js';
import { startShell } from './shell.js';

registerPrivilegedSchemes();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const shell = startShell(appPaths(import.meta.url));
  app.on('second-instance', () => shell.focus());
}
