/** What the in-app file browser shows and lets the user pick, per kind of request. */
import type { DirectoryListing } from '../../../src/common/api.js';
import type { PickKind } from '../../api/types.js';

export type Entry = DirectoryListing['entries'][number];

/** Folders first, then files; names in natural order. */
export function visibleEntries(listing: DirectoryListing | null, kind: PickKind, extensions?: readonly string[]): Entry[] {
  if (!listing) return [];
  const wanted = extensions?.length ? new Set(extensions.map((x) => x.toLowerCase())) : null;
  const offered = (e: Entry) => e.kind === 'dir' || !wanted || wanted.has(e.name.split('.').pop()?.toLowerCase() ?? '');
  const shown = listing.entries.filter((e) => (kind === 'folder' ? e.kind === 'dir' : kind === 'files' ? e.kind !== 'other' : offered(e)));
  return shown.sort((a, b) => (a.kind === 'dir') === (b.kind === 'dir') ? a.name.localeCompare(b.name, undefined, { numeric: true }) : a.kind === 'dir' ? -1 : 1);
}

/** Whether an entry can be part of the answer (folders are for navigating, except in files/folder mode). */
export function isSelectable(e: Entry, kind: PickKind): boolean {
  if (kind === 'files') return true;
  if (kind === 'folder') return e.kind === 'dir';
  return e.kind !== 'dir';
}

export function toggle(selected: readonly string[], path: string, multi: boolean): string[] {
  if (!multi) return selected.length === 1 && selected[0] === path ? [] : [path];
  return selected.includes(path) ? selected.filter((p) => p !== path) : [...selected, path];
}

/** The paths the dialog answers with, or null when the primary button must stay disabled. */
export function answer(kind: PickKind, currentDir: string | null, selected: readonly string[], saveName: string): string[] | null {
  switch (kind) {
    case 'files':
      return selected.length ? [...selected] : currentDir ? [currentDir] : null;
    case 'folder':
      return selected[0] ? [selected[0]] : currentDir ? [currentDir] : null;
    case 'openFile':
      return selected[0] ? [selected[0]] : null;
    case 'saveFile': {
      const name = saveName.trim();
      if (!currentDir || !name || /[\\/]/.test(name)) return null;
      const sep = currentDir.includes('\\') && !currentDir.includes('/') ? '\\' : '/';
      return [currentDir.endsWith(sep) ? currentDir + name : currentDir + sep + name];
    }
  }
}

export function primaryLabel(kind: PickKind, selectedCount: number): string {
  switch (kind) {
    case 'files':
      return selectedCount ? `Open ${selectedCount} selected` : 'Open all images in this folder';
    case 'folder':
      return selectedCount ? 'Choose selected folder' : 'Choose this folder';
    case 'openFile':
      return 'Open';
    case 'saveFile':
      return 'Save';
  }
}
