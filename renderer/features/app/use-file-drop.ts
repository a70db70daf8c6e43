/** Files and folders dropped on the window are opened (when the host can tell their paths). */
import { useEffect, useState } from 'react';
import { useAppStore, useClient } from '../../state/use-app-store.js';

export function useFileDrop(): boolean {
  const client = useClient();
  const openPaths = useAppStore((s) => s.openPaths);
  const notify = useAppStore((s) => s.notify);
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (!depth) setOver(false);
    };
    const overFn = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const files = [...(e.dataTransfer?.files ?? [])];
      const paths = client.pathsOfDroppedFiles(files);
      if (paths === null) notify('info', 'This browser does not tell Calciquant where dropped files are. Use Open images… or Open folder… (Ctrl+O) instead.');
      else void openPaths(paths);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overFn);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('drop', drop);
    };
  }, [client, openPaths, notify]);
  return over;
}
