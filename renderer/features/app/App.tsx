/** The main window: toolbar, library | viewer + results | measurement and recipe, status line. */
import { useEffect, useState } from 'react';
import type { OpenImagesResult } from '../../../src/common/api.js';
import { connectCoreEvents } from '../../state/core-events.js';
import { useLivePreview } from '../../state/use-live-preview.js';
import { useAppStore, useClient, useStoreApi } from '../../state/use-app-store.js';
import { viewerCommands } from '../../viewer/viewer-commands.js';
import { PathPickerHost } from '../files/PathPickerHost.js';
import { HelpOverlay } from '../help/HelpOverlay.js';
import { LibraryPanel } from '../library/LibraryPanel.js';
import { RecipePanel } from '../recipe/RecipePanel.js';
import { BottomDock } from '../results/BottomDock.js';
import { useAnnotations } from '../annotate/use-annotations.js';
import { ViewerPane } from '../viewer/ViewerPane.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { StatusBar } from './StatusBar.js';
import { Toasts } from './Toasts.js';
import { TopBar } from './TopBar.js';
import { useFileDrop } from './use-file-drop.js';
import { useShortcuts } from './use-shortcuts.js';

export function App() {
  const client = useClient();
  const store = useStoreApi();
  const [dockPx, setDockPx] = useState(230);
  const dropping = useFileDrop();
  const hasImages = useAppStore((s) => s.images.length > 0);
  useShortcuts();
  useLivePreview();
  useAnnotations();

  useEffect(() => {
    const off = connectCoreEvents(client, store);
    const s = store.getState();
    void s.loadAppInfo();
    void s.loadLibrary();
    void s.loadMetadata();
    return off;
  }, [client, store]);

  useEffect(
    () =>
      client.onMenu((action, payload) => {
        const s = store.getState();
        if (action === 'images-opened') {
          const r = payload as { ok?: boolean; value?: OpenImagesResult; error?: unknown } | undefined;
          if (r?.ok && r.value) s.addOpened(r.value);
          else if (r && r.ok === false) s.reportError(r.error);
          return;
        }
        const run: Record<string, () => void> = {
          'open-images': () => void s.openWithDialog('files'),
          'open-folder': () => void s.openWithDialog('folder'),
          'open-samples': () => void s.openSamples(),
          'export-results': () => void s.exportFolder(),
          'export-csv': () => void s.exportCsv(),
          'run-batch': () => void s.runBatch([]),
          'cancel-batch': () => void s.cancelBatch(),
          'zoom-in': viewerCommands.zoomIn,
          'zoom-out': viewerCommands.zoomOut,
          'zoom-fit': viewerCommands.fit,
          'toggle-overlay': s.toggleOverlay,
          'load-recipe': () => void s.loadRecipeFile(),
          'save-recipe': () => void s.saveRecipeFile(),
          help: () => s.setHelpOpen(true),
          about: () => s.setHelpOpen(true),
        };
        run[action]?.();
      }),
    [client, store],
  );

  return (
    <div className="app" style={{ ['--dock-h' as string]: `${dockPx}px` }} data-has-images={hasImages}>
      <TopBar />
      <ErrorBoundary area="the library">
        <LibraryPanel />
      </ErrorBoundary>
      <div className="center">
        <ErrorBoundary area="the viewer">
          <ViewerPane />
        </ErrorBoundary>
        <ErrorBoundary area="the results">
          <BottomDock onResize={(d) => setDockPx((h) => Math.min(window.innerHeight * 0.7, Math.max(90, h + d)))} />
        </ErrorBoundary>
      </div>
      <ErrorBoundary area="the recipe panel">
        <RecipePanel />
      </ErrorBoundary>
      <StatusBar />
      <Toasts />
      <HelpOverlay />
      <PathPickerHost />
      {dropping ? <div className="drop-overlay">Drop images or folders to add them to the library</div> : null}
    </div>
  );
}
