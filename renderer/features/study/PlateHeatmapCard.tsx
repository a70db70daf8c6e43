/** The plate heat map of the study: each plate image's wells by mineral %, with their groups. */
import { useCallback, useMemo, useState } from 'react';
import type { StudyView } from '../../../src/common/api.js';
import { selectAllGroups } from '../../state/metadata-selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { heatScale } from '../plate/heat-scale.js';
import { ChartCard, type ChartBuilder } from './ChartCard.js';
import { heatmapData, plateValues } from './chart-data.js';
import { heatmapSvg } from './heatmap-chart.js';

export function PlateHeatmapCard({ view }: { view: StudyView }) {
  const all = useAppStore(selectAllGroups);
  const [index, setIndex] = useState(0);
  const plates = view.plates;
  const plate = plates[Math.min(index, plates.length - 1)];
  // One colour scale for every plate of the study, so plates compare by colour.
  const scale = useMemo(() => heatScale(plateValues(view)), [view]);
  const data = useMemo(() => (plate ? heatmapData(plate, all) : null), [plate, all]);
  const build = useCallback<ChartBuilder>(
    (theme, size, idSuffix) => (data ? heatmapSvg(data, scale, { maxCellPx: theme.name === 'light' ? 56 : 64, widthPx: size.width, heightPx: size.height, theme, idSuffix }) : null),
    [data, scale],
  );
  const cols = data?.grid.cols ?? 12, rows = data?.grid.rows ?? 8;
  const subtitle = data
    ? `${data.cells.length} wells · fill: mineralized area (%, cividis, 0–${scale.domain[1]} for all plates) · ring: group${data.cells.some((c) => c.pct === null) ? ' · × not measured' : ''}`
    : '';
  return (
    <ChartCard
      title={plate ? `Plate heat map · ${plate.image}` : 'Plate heat map'}
      subtitle={subtitle}
      build={data ? build : null}
      testId="plate-heatmap"
      exportSize={{ width: 40 + cols * 56, height: 110 + rows * 56 }}
      empty="No plate images in this batch: choose the Plate reference to measure every well."
      tools={
        plates.length > 1 ? (
          <select value={Math.min(index, plates.length - 1)} onChange={(e) => setIndex(Number(e.target.value))} aria-label="Plate" className="plate-choice">
            {plates.map((p, i) => (
              <option key={`${p.image}-${i}`} value={i}>
                {p.image}
              </option>
            ))}
          </select>
        ) : null
      }
    />
  );
}
