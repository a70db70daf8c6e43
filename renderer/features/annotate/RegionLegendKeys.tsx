/** Legend keys for regions (shown in the viewer's legend when the image has regions). */
import { useAppStore } from '../../state/use-app-store.js';
import { INCLUDE_COLOURS } from '../../viewer/roi-style.js';

export function RegionLegendKeys() {
  const roles = useAppStore((s) => (s.roiImageId === s.currentId ? s.rois.filter((r) => !r.hidden).map((r) => r.role).sort().join() : ''));
  return (
    <>
      {roles.includes('include') ? (
        <span className="key">
          <span className="swatch" style={{ border: `2px solid ${INCLUDE_COLOURS[0]!.hex}` }} /> Include region
        </span>
      ) : null}
      {roles.includes('exclude') ? (
        <span className="key">
          <span className="swatch ex-swatch" /> Exclude region
        </span>
      ) : null}
    </>
  );
}
