import { useEffect } from 'react';
import { useStoreApi } from '../../state/use-app-store.js';
import { findShortcut, runShortcut } from './shortcuts.js';

/** Window-wide keyboard shortcuts (not while a dialog is open; most not while typing). */
export function useShortcuts(): void {
  const store = useStoreApi();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || document.querySelector('.modal-backdrop')) return;
      const t = e.target as HTMLElement | null;
      const inField = !!t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) && !(t instanceof HTMLInputElement && (t.type === 'range' || t.type === 'checkbox'));
      const sc = findShortcut(e, inField);
      if (!sc) return;
      // Arrow keys on a focused slider move the slider, not the image.
      if (t instanceof HTMLInputElement && t.type === 'range' && e.key.startsWith('Arrow')) return;
      e.preventDefault();
      runShortcut(sc, e.key.length === 1 ? e.key.toLowerCase() : e.key, store.getState());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
