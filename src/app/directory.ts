/** Folder listings for the in-app file browser (hosts without native dialogs). */
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DirectoryListing } from '../common/api.js';
import { AppError } from '../common/errors.js';
import { isImagePath } from '../io/decode.js';

const MAX_ENTRIES = 5000;

export async function listDirectory(given: string): Promise<DirectoryListing> {
  const dir = path.resolve(given === '' ? os.homedir() : given);
  let names: import('node:fs').Dirent[];
  try {
    names = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(
      'INPUT_INVALID',
      code === 'ENOTDIR' ? `“${dir}” is a file, not a folder.` : `The folder “${dir}” cannot be opened (${code ?? 'error'}). Check the path and your permissions.`,
      { cause: e },
    );
  }
  const entries = await Promise.all(
    names
      .filter((d) => !d.name.startsWith('.'))
      .slice(0, MAX_ENTRIES)
      .map(async (d) => {
        const p = path.join(dir, d.name);
        let isDir = d.isDirectory();
        let sizeBytes: number | null = null;
        if (d.isSymbolicLink() || d.isFile()) {
          try {
            const s = await stat(p);
            isDir = s.isDirectory();
            sizeBytes = s.isFile() ? s.size : null;
          } catch {
            /* dangling link: listed as other */
          }
        }
        const kind: 'dir' | 'image' | 'other' = isDir ? 'dir' : isImagePath(p) ? 'image' : 'other';
        return { name: d.name, path: p, kind, sizeBytes };
      }),
  );
  entries.sort((a, b) => (a.kind === 'dir') !== (b.kind === 'dir') ? (a.kind === 'dir' ? -1 : 1) : a.name.localeCompare(b.name, 'en', { numeric: true }));
  const parent = path.dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, entries };
}
