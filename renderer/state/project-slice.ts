/**
 * The project (a folder the core autosaves into) or the session: what is open, its save status
 * and missing images; New / Open / Close / Relink. Dialogs come from the client (native in
 * Electron, the in-app file browser in the web host).
 */
import type { ImageId, ProjectSummary } from '../../src/common/api.js';
import type { SliceCreator } from './app-state.js';

export interface ProjectSlice {
  /** null: a session (regions are kept only while the app runs). */
  project: ProjectSummary | null;
  /** The last autosave failure (persistent until the next successful project action or dismissal). */
  projectSaveError: string | null;
  projectBusy: boolean;
  newProjectOpen: boolean;
  loadProject(): Promise<void>;
  setProject(p: ProjectSummary | null): void;
  setProjectSaveError(message: string | null): void;
  setNewProjectOpen(open: boolean): void;
  /** Creates the project folder `dir` (the session's images and regions move into it). */
  createProject(dir: string, name: string): Promise<boolean>;
  openProjectWithDialog(): Promise<void>;
  closeProject(): Promise<void>;
  relinkWithDialog(): Promise<void>;
  /** Menu “Save project”: a project saves itself (waits for it); a session asks for a new project. */
  saveProject(): Promise<void>;
}

/** Where “New project” puts the folder: `<parent>/<name>.mineral`. */
export function projectDirFor(parent: string, name: string): string {
  const sep = parent.includes('\\') && !parent.includes('/') ? '\\' : '/';
  const safe = name.trim().replace(/[\\/:*?"<>|]+/g, '-').replace(/^\.+/, '') || 'project';
  return `${parent.replace(/[\\/]+$/, '')}${sep}${safe}.mineral`;
}

export const createProjectSlice: SliceCreator<ProjectSlice> = ({ client }) => (set, get) => {
  /** After the workspace changed: the library, the same image as before when it is there, its regions. */
  async function afterSwitch(project: ProjectSummary | null, keepPath: string | null): Promise<void> {
    set({ project, projectSaveError: null }, undefined, 'project/switched');
    const images = await client.core.listImages();
    const s = get();
    s.setImages(images);
    const same = keepPath ? images.find((i) => i.path === keepPath) : undefined;
    const first = same ?? images[0];
    if (first) s.select(first.id as ImageId, 'only');
    await get().resetRois();
    for (const w of project?.warnings ?? []) get().notify('info', w);
  }

  async function busy(work: () => Promise<void>): Promise<boolean> {
    set({ projectBusy: true }, undefined, 'project/busy');
    try {
      await work();
      return true;
    } catch (e) {
      get().reportError(e);
      return false;
    } finally {
      set({ projectBusy: false }, undefined, 'project/idle');
    }
  }

  const currentPath = () => get().images.find((i) => i.id === get().currentId)?.path ?? null;

  return {
    project: null,
    projectSaveError: null,
    projectBusy: false,
    newProjectOpen: false,
    async loadProject() {
      try {
        set({ project: await client.core.getProject() }, undefined, 'project/loaded');
      } catch (e) {
        get().reportError(e);
      }
    },
    setProject: (project) => set({ project }, undefined, 'project/set'),
    setProjectSaveError: (projectSaveError) => set({ projectSaveError }, undefined, 'project/saveError'),
    setNewProjectOpen: (newProjectOpen) => set({ newProjectOpen }, undefined, 'project/newDialog'),
    async createProject(dir, name) {
      const keep = currentPath();
      return busy(async () => {
        const p = await client.core.createProject(dir, name);
        set({ newProjectOpen: false }, undefined, 'project/created');
        await afterSwitch(p, keep);
        get().notify('success', `Project “${p.name}” created in ${p.dir}. Every change is saved automatically.`);
      });
    },
    async openProjectWithDialog() {
      try {
        const dir = (await client.pickPaths({ kind: 'folder', title: 'Open a project folder (a .mineral folder)' }))?.[0];
        if (!dir) return;
        await busy(async () => {
          const p = await client.core.openProject(dir);
          await afterSwitch(p, null);
          const missing = p.missingCount ? ` ${p.missingCount} image${p.missingCount === 1 ? ' is' : 's are'} missing: use Relink images….` : '';
          get().notify(missing ? 'info' : 'success', `Opened project “${p.name}” (${p.imageCount} image${p.imageCount === 1 ? '' : 's'}).${missing}`);
        });
      } catch (e) {
        get().reportError(e);
      }
    },
    async closeProject() {
      if (!get().project) return;
      await busy(async () => {
        await client.core.closeProject();
        await afterSwitch(null, null);
      });
    },
    async relinkWithDialog() {
      if (!get().project) return;
      try {
        const folder = (await client.pickPaths({ kind: 'folder', title: 'Relink missing images: choose the folder they are in now' }))?.[0];
        if (!folder) return;
        await busy(async () => {
          const r = await client.core.relinkImages(folder);
          set({ project: await client.core.getProject() }, undefined, 'project/relinked');
          get().setImages(await client.core.listImages());
          const still = r.stillMissing ? ` ${r.stillMissing} still missing.` : '';
          get().notify(r.relinked ? 'success' : 'info', `Found ${r.relinked} image${r.relinked === 1 ? '' : 's'} by content.${still}`);
        });
      } catch (e) {
        get().reportError(e);
      }
    },
    async saveProject() {
      if (!get().project) return get().setNewProjectOpen(true);
      const s = get();
      if (s.roiSave.kind === 'error') return s.notify('error', `Not everything is saved: ${s.roiSave.message}`);
      s.notify('success', `Project “${s.project!.name}” is saved automatically after every change.`);
    },
  };
};
