/**
 * The regions of the current image, under the measurement: what the reference is made of, one
 * row per region (selection follows the viewer), import / export / copy to other images.
 */
import { useState } from 'react';
import type { ImageResult } from '../../../src/common/result.js';
import { geometryAreaPx } from '../../../src/common/roi-geometry.js';
import type { Roi } from '../../../src/common/roi.js';
import { selectCurrentImage } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { roiDisplayName } from '../../viewer/roi-style.js';
import { ApplyRegionsDialog } from './ApplyRegionsDialog.js';
import { RegionItem } from './RegionItem.js';
import { ToolIcon } from './ToolIcon.js';
import './annotate.css';

const areas = new WeakMap<Roi, number>();
const areaOf = (r: Roi) => {
  let a = areas.get(r);
  if (a === undefined) areas.set(r, (a = geometryAreaPx(r.geometry)));
  return a;
};

/** The live preview's row of a region: matched by the name the core gives it (label, else id). */
function resultOf(rows: readonly ImageResult[] | undefined, r: Roi): ImageResult | null {
  return rows?.find((x) => x.region === (r.label ?? r.id)) ?? null;
}

export function RegionPanel() {
  const image = useAppStore(selectCurrentImage);
  const rois = useAppStore((s) => (s.roiImageId === s.currentId ? s.rois : null));
  const loading = useAppStore((s) => s.roisLoading);
  const selectedId = useAppStore((s) => s.selectedRoiId);
  const rows = useAppStore((s) => (s.preview?.imageId === s.currentId ? s.preview.regionRows : undefined));
  const pixelSizeOverride = useAppStore((s) => s.pixelSizeUm);
  const importRois = useAppStore((s) => s.importRoisWithDialog);
  const exportRois = useAppStore((s) => s.exportRoisWithDialog);
  const [applyOpen, setApplyOpen] = useState(false);
  const pixelSizeUm = pixelSizeOverride ?? image?.pixelSizeUm ?? null;
  const list = rois ?? [];
  const nInclude = list.filter((r) => r.role === 'include').length;
  const nExclude = list.length - nInclude;
  const usable = !!image && !image.error && !!rois && !loading;
  const reference = nInclude
    ? `Reference = ${nInclude} include region${nInclude > 1 ? 's' : ''}${nExclude ? ` − ${nExclude} exclude` : ''}`
    : nExclude
      ? `Reference = the recipe’s automatic area − ${nExclude} exclude region${nExclude > 1 ? 's' : ''}`
      : 'No regions: the recipe’s automatic reference is measured.';
  return (
    <section className="regions" aria-label="Regions" data-testid="region-panel" data-state={rois && !loading ? 'ready' : 'loading'}>
      <div className="panel-head regions-head">
        <h2>
          Regions <span className="count">{list.length}</span>
        </h2>
      </div>
      <div className="regions-actions">
        <button type="button" className="btn small" disabled={!usable} onClick={() => void importRois()} title="Add regions from a QuPath GeoJSON, ImageJ .roi or RoiSet .zip file" data-testid="roi-import">
          <ToolIcon name="import" size={13} /> Import…
        </button>
        <button type="button" className="btn small" disabled={!usable || !list.length} onClick={() => void exportRois()} title="Save these regions as GeoJSON (QuPath)" data-testid="roi-export">
          <ToolIcon name="export" size={13} /> Export…
        </button>
        <button type="button" className="btn small" disabled={!usable || !list.length} onClick={() => setApplyOpen(true)} title="Copy these regions to other images" data-testid="roi-apply">
          <ToolIcon name="copy" size={13} /> Copy to…
        </button>
      </div>
      <div className={`regions-ref${nInclude ? ' on' : ''}`} data-testid="regions-reference">
        {reference}
      </div>
      {list.length ? (
        <ul className="region-list" role="listbox" aria-label="Regions of this image" data-testid="region-list">
          {list.map((r) => (
            <RegionItem key={r.id} roi={r} name={roiDisplayName(r, list)} selected={r.id === selectedId} areaPx={areaOf(r)} pixelSizeUm={pixelSizeUm} result={r.role === 'include' ? resultOf(rows, r) : null} />
          ))}
        </ul>
      ) : usable ? (
        <p className="regions-empty">Draw on the image to measure only there (include) or to leave something out (exclude): polygon P, freehand F, rectangle R, ellipse E, brush B.</p>
      ) : null}
      {applyOpen ? <ApplyRegionsDialog onClose={() => setApplyOpen(false)} /> : null}
    </section>
  );
}
