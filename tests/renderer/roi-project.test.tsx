/** Projects in the UI: the menu, save status and autosave failures; core events and Electron menu commands. */
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ImageEntry, ImageId, ProjectSummary } from '../../src/common/api.js';
import { rectangleGeometry } from '../../src/common/roi-geometry.js';
import type { Roi, RoiId } from '../../src/common/roi.js';
import { useAnnotations } from '../../renderer/features/annotate/use-annotations.js';
import { ProjectMenu } from '../../renderer/features/project/ProjectMenu.js';
import { projectDirFor } from '../../renderer/state/project-slice.js';
import { createAppStore } from '../../renderer/state/store.js';
import { entry, fakeClient, fakeCore } from './helpers/fake-client.js';
import { click, mount, settle } from './helpers/render.js';

const PROJECT: ProjectSummary = { dir: '/data/Study.mineral', name: 'Study', imageCount: 2, missingCount: 1, warnings: [] };
const roi = (i: number): Roi => ({ id: `r${i}` as RoiId, role: 'include', tool: 'rectangle', geometry: rectangleGeometry(0, 0, 10, 10) });

function Host() {
  useAnnotations();
  return <ProjectMenu />;
}

function setup(images: ImageEntry[] = [entry('a.jpg'), entry('b.jpg')]) {
  const core = fakeCore(images);
  let menu: ((action: string) => void) | null = null;
  Object.assign(core, {
    getProject: vi.fn(async () => null),
    loadRois: vi.fn(async () => [] as Roi[]),
    saveRois: vi.fn(async () => undefined),
    createProject: vi.fn(async (dir: string, name: string) => ({ ...PROJECT, dir, name, missingCount: 0 })),
    openProject: vi.fn(async () => PROJECT),
    closeProject: vi.fn(async () => undefined),
    relinkImages: vi.fn(async () => ({ relinked: 1, stillMissing: 0 })),
    listImages: vi.fn(async () => images),
  });
  const client = fakeClient(core);
  client.onMenu = (cb) => ((menu = cb), () => (menu = null));
  const store = createAppStore(client);
  store.getState().setImages(images);
  return { core, client, store, images, menu: (a: string) => act(async () => menu?.(a)) };
}

describe('project menu', () => {
  it('a session says so; New project creates <place>/<name>.mineral and keeps the current image', async () => {
    const { core, client, store, images } = setup();
    store.getState().select(images[1]!.id, 'only');
    const m = await mount(<Host />, client, store);
    await settle();
    expect(m.container.querySelector('[data-testid=project-name]')!.textContent).toBe('Session');
    expect(m.container.querySelector('[data-testid=save-status]')!.getAttribute('data-state')).toBe('session');
    await click(m.container.querySelector('[data-testid=project-menu]'));
    await click(m.container.querySelector('[data-testid=project-new]'));
    expect(document.querySelector('.modal.new-project')).not.toBeNull();
    expect(projectDirFor('/home/me/', 'Aorta: VK/2024')).toBe('/home/me/Aorta- VK-2024.mineral');
    expect(projectDirFor('C:\\data', 'x')).toBe('C:\\data\\x.mineral');
    await act(async () => void (await store.getState().createProject('/data/Study.mineral', 'Study')));
    expect(core.createProject).toHaveBeenCalledWith('/data/Study.mineral', 'Study');
    expect(store.getState().newProjectOpen).toBe(false);
    expect(store.getState().currentId).toBe(images[1]!.id);
    expect(m.container.querySelector('[data-testid=project-name]')!.textContent).toBe('Study');
    expect(m.container.querySelector('[data-testid=save-status]')!.getAttribute('data-state')).toBe('saved');
    await m.unmount();
  });

  it('shows missing images with Relink, and autosave failures as a persistent warning', async () => {
    const { core, client, store } = setup();
    const m = await mount(<Host />, client, store);
    await settle();
    await act(async () => core.emit('project:changed', { project: PROJECT }));
    const relink = m.container.querySelector('[data-testid=relink-missing]')!;
    expect(relink.textContent).toContain('1 missing');
    client.pickPaths = vi.fn(async () => ['/data/moved']);
    core.getProject.mockResolvedValue({ ...PROJECT, missingCount: 0 });
    await click(relink);
    await settle();
    expect(core.relinkImages).toHaveBeenCalledWith('/data/moved');
    expect(m.container.querySelector('[data-testid=relink-missing]')).toBeNull();
    await act(async () => core.emit('project:save-error', { userMessage: 'The disk is full. Free some space.' }));
    const warning = m.container.querySelector('[data-testid=save-warning]')!;
    expect(warning.textContent).toContain('The disk is full');
    expect(m.container.querySelector('[data-testid=save-status]')!.getAttribute('data-state')).toBe('error');
    await click(warning.querySelector('button'));
    expect(m.container.querySelector('[data-testid=save-warning]')).toBeNull();
    await m.unmount();
  });

  it('loads the regions of the current image; a project opened elsewhere resets them once its library is there', async () => {
    const { core, client, store, images } = setup();
    core.loadRois.mockImplementation(async (id: ImageId) => (id === images[0]!.id ? [roi(1)] : []));
    const m = await mount(<Host />, client, store);
    await act(async () => store.getState().setCurrent(images[0]!.id));
    await settle();
    expect(store.getState().rois.map((r) => r.id)).toEqual(['r1']);
    await act(async () => store.getState().commitRoiPatch({ added: [roi(2)], updated: [], removed: [] }));
    expect(store.getState().roiHistory[images[0]!.id]!.undo).toHaveLength(1);
    const other = [entry('c.jpg')];
    await act(async () => core.emit('project:changed', { project: PROJECT }));
    await act(async () => store.getState().setImages(other)); // what core-events does on library:changed
    await settle();
    expect(store.getState().roiHistory).toEqual({});
    expect(store.getState().roiImageId).toBe(other[0]!.id);
    await m.unmount();
  });

  it('Electron menu: Undo / Redo act on regions, or on a focused text field; Open / Save project', async () => {
    const { core, client, store, images, menu } = setup();
    const m = await mount(<Host />, client, store);
    await act(async () => store.getState().setCurrent(images[0]!.id));
    await settle();
    await act(async () => store.getState().commitRoiPatch({ added: [roi(1)], updated: [], removed: [] }));
    await menu('undo');
    expect(store.getState().rois).toEqual([]);
    await menu('redo');
    expect(store.getState().rois).toHaveLength(1);
    const input = document.createElement('input');
    document.body.appendChild(input);
    input.focus();
    const exec = vi.fn(() => true);
    (document as unknown as { execCommand: typeof exec }).execCommand = exec;
    await menu('undo');
    expect(exec).toHaveBeenCalledWith('undo');
    expect(store.getState().rois).toHaveLength(1);
    input.remove();
    await menu('save-project');
    expect(store.getState().newProjectOpen).toBe(true);
    client.pickPaths = vi.fn(async () => ['/data/Study.mineral']);
    await menu('open-project');
    await settle();
    expect(core.openProject).toHaveBeenCalledWith('/data/Study.mineral');
    expect(store.getState().project?.name).toBe('Study');
    await m.unmount();
  });
});
