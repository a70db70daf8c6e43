/**
 * The plate's wells over the viewer (plate reference): rings labelled A1… with each well's group;
 * click picks wells for the sample panel; with wells set by hand, drag a ring to move a well, its
 * handle to resize it, or place a new well with a click.
 */
import { useEffect, useRef } from 'react';
import { useAppStore, useStoreApi } from '../../state/use-app-store.js';
import { metaKey } from '../../state/metadata-model.js';
import { WellsLayer, type WellsHost } from '../../viewer/wells-layer.js';
import { placeWell } from '../../viewer/wells-geometry.js';
import { selectCurrentPlate, selectIsPlateReference } from './plate-selectors.js';
import { pickWells } from './well-selection.js';

export function WellsOverlay({ host, openImageId }: { host: WellsHost | null; openImageId: string | null }) {
  const store = useStoreApi();
  const svgRef = useRef<SVGSVGElement>(null);
  const layerRef = useRef<WellsLayer | null>(null);
  const anchor = useRef<string | null>(null);
  const isPlate = useAppStore(selectIsPlateReference);
  const plate = useAppStore(selectCurrentPlate);
  const currentId = useAppStore((s) => s.currentId);
  const known = useAppStore((s) => (s.currentId ? s.handWells[s.currentId] !== undefined : true));
  const selection = useAppStore((s) => s.wellSelection);
  const meta = useAppStore((s) => s.metaByKey);
  const blinded = useAppStore((s) => s.blinded);
  const addId = useAppStore((s) => s.addWellId);
  const shown = isPlate && !!host && openImageId === currentId;

  useEffect(() => {
    if (isPlate && currentId && !known) void store.getState().loadHandWells(currentId);
  }, [isPlate, currentId, known, store]);

  useEffect(() => {
    if (!shown || !host || !svgRef.current) return;
    const s = () => store.getState();
    const layer = new WellsLayer(svgRef.current, host, {
      onCommit: (wells) => {
        const id = s().currentId;
        if (id) void s().saveHandWells(id, wells);
      },
      onPick: (wellId, mode) => {
        const st = s(), p = selectCurrentPlate(st);
        if (!p) return;
        const cur = st.wellSelection?.imageId === p.imageId ? st.wellSelection.wells : [];
        if (!wellId) return mode === 'only' && cur.length ? st.selectWells(p.imageId, []) : undefined;
        st.selectWells(p.imageId, pickWells(cur, wellId, mode, anchor.current, p.ids));
        anchor.current = wellId;
      },
      onPlace: (x, y) => {
        const st = s(), p = selectCurrentPlate(st), wellId = st.addWellId, img = st.images.find((i) => i.id === st.currentId);
        if (!p || !wellId || !img) return;
        const fallback = Math.min(img.widthPx ?? 1000, img.heightPx ?? 1000) * 0.08;
        void st.saveHandWells(p.imageId, placeWell(p.wells, wellId, x, y, fallback));
      },
    });
    layerRef.current = layer;
    return () => {
      layer.destroy();
      layerRef.current = null;
    };
  }, [shown, host, store]);

  useEffect(() => {
    const layer = layerRef.current;
    if (!layer || !plate) {
      layer?.update({ wells: [], editable: false, selected: new Set(), notes: new Map(), addId: null });
      return;
    }
    const selected = new Set(selection?.imageId === plate.imageId ? selection.wells : []);
    const notes = new Map<string, string>();
    if (!blinded) for (const w of plate.wells) {
      const g = meta[metaKey(plate.imageId, w.id)]?.group ?? meta[plate.imageId]?.group;
      if (g) notes.set(w.id, g);
    }
    layer.update({ wells: plate.wells, editable: plate.byHand, selected, notes, addId });
  }, [plate, selection, meta, blinded, addId, shown]);

  if (!shown) return null;
  return <svg ref={svgRef} className="wells-layer" data-testid="wells-layer" aria-label="Plate wells" />;
}
