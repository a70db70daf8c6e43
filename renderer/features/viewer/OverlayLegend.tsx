import { useAppStore } from '../../state/use-app-store.js';
import { RegionLegendKeys } from '../annotate/RegionLegendKeys.js';

/** What the overlay colours mean (Okabe–Ito: sky blue outline, yellow mineral). */
export function OverlayLegend() {
  const visible = useAppStore((s) => s.overlayVisible);
  return (
    <div className={`legend${visible ? '' : ' dim'}`} aria-label="Overlay legend">
      <span className="key">
        <span className="swatch outline" /> Reference outline
      </span>
      <span className="key">
        <span className="swatch mineral" /> Mineral
      </span>
      <RegionLegendKeys />
    </div>
  );
}
