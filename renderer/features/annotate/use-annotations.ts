/**
 * App-wide wiring of regions and projects: the current image's regions are loaded when it
 * changes; project events (opened elsewhere, autosave errors) reach the store; the Electron menu's
 * Undo / Redo / Open project / Save project act here. With the focus in a text field, Undo and
 * Redo are the field's own (the menu's accelerator would otherwise take them away).
 */
import { useEffect } from 'react';
import { redoLast, undoLast } from '../../state/undo-route.js';
import { useClient, useStoreApi } from '../../state/use-app-store.js';

export const isTextField = (el: Element | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button'].includes(el.type)));

export function useAnnotations(): void {
  const client = useClient();
  const store = useStoreApi();
  useEffect(() => {
    const s = () => store.getState();
    void s().loadProject();
    void s().loadRois(s().currentId);
    // Another workspace (a project opened from the menu, closed…): its library follows the event;
    // regions and their history are reset once it is there (image ids are per workspace).
    let workspaceChanged = false;
    const unsub = store.subscribe((now, prev) => {
      if (workspaceChanged && now.images !== prev.images) {
        workspaceChanged = false;
        void now.resetRois();
      } else if (now.currentId !== prev.currentId) void now.loadRois(now.currentId);
    });
    const offs = [
      client.core.on('project:changed', (e) => {
        if ((e.project?.dir ?? null) !== (s().project?.dir ?? null)) workspaceChanged = true;
        s().setProject(e.project);
      }),
      client.core.on('project:save-error', (e) => s().setProjectSaveError(e.userMessage)),
      client.onMenu((action) => {
        const field = isTextField(document.activeElement);
        if (action === 'undo') return void (field ? document.execCommand('undo') : undoLast(s()));
        if (action === 'redo') return void (field ? document.execCommand('redo') : redoLast(s()));
        if (action === 'open-project') return void s().openProjectWithDialog();
        if (action === 'save-project') return void s().saveProject();
      }),
    ];
    return () => {
      unsub();
      offs.forEach((off) => off());
    };
  }, [client, store]);
}
