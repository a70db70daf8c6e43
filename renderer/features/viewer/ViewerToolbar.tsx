/** Floating viewer controls: zoom, fit, 1:1, overlay toggle and opacity. */
import { Icon } from '../../components/Icon.js';
import { useAppStore } from '../../state/use-app-store.js';
import { viewerCommands } from '../../viewer/viewer-commands.js';

export function ViewerToolbar({ zoom }: { zoom: number }) {
  const visible = useAppStore((s) => s.overlayVisible);
  const opacity = useAppStore((s) => s.overlayOpacity);
  const toggle = useAppStore((s) => s.toggleOverlay);
  const setOpacity = useAppStore((s) => s.setOverlayOpacity);
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label="Viewer">
      <button type="button" className="icon-btn" onClick={viewerCommands.zoomOut} title="Zoom out (−)" aria-label="Zoom out">
        <Icon name="zoomOut" />
      </button>
      <span className="zoom-readout" title="Screen pixels per image pixel">
        {zoom > 0 ? `${zoom >= 1 ? Math.round(zoom * 100) : (zoom * 100).toFixed(zoom < 0.1 ? 1 : 0)} %` : '—'}
      </span>
      <button type="button" className="icon-btn" onClick={viewerCommands.zoomIn} title="Zoom in (+)" aria-label="Zoom in">
        <Icon name="zoomIn" />
      </button>
      <button type="button" className="icon-btn" onClick={viewerCommands.fit} title="Fit to window (0)" aria-label="Fit to window">
        <Icon name="fit" />
      </button>
      <button type="button" className="icon-btn" onClick={viewerCommands.actualSize} title="Actual pixels, 1:1 (1)" aria-label="Actual pixels">
        <Icon name="actual" />
      </button>
      <span className="tb-sep" />
      <button
        type="button"
        className={`icon-btn toggle${visible ? ' on' : ''}`}
        aria-pressed={visible}
        onClick={toggle}
        title="Show the mask overlay (O)"
        aria-label="Overlay"
        data-testid="overlay-toggle"
      >
        <Icon name="layers" />
      </button>
      <input
        type="range"
        className="opacity"
        min={0}
        max={1}
        step={0.05}
        value={opacity}
        disabled={!visible}
        aria-label="Overlay opacity"
        title={`Overlay opacity ${Math.round(opacity * 100)} % ([ and ])`}
        onChange={(e) => setOpacity(Number(e.target.value))}
      />
    </div>
  );
}
