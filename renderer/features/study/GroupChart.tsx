/** The group chart of the study: every sample over its group's mean ± SD, in % or fold change. */
import { useCallback, useMemo, useState } from 'react';
import type { StudyView } from '../../../src/common/api.js';
import { selectAllGroups } from '../../state/metadata-selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { ChartCard, type ChartBuilder } from './ChartCard.js';
import { dotPlotData, type ChartValueMode } from './chart-data.js';
import { dotPlotSvg } from './dot-plot-chart.js';

export function GroupChart({ view }: { view: StudyView }) {
  const all = useAppStore(selectAllGroups);
  const averaged = useAppStore((s) => s.studyOptions.averageReplicates);
  const [mode, setMode] = useState<ChartValueMode>('pct');
  const canFold = view.groups.some((g) => g.isControl && g.foldChange !== null);
  const shown: ChartValueMode = canFold ? mode : 'pct';
  const data = useMemo(() => dotPlotData(view, { mode: shown, allGroups: all }), [view, shown, all]);
  const build = useCallback<ChartBuilder>((theme, size) => (data.points.length ? dotPlotSvg(data, theme, size) : null), [data]);
  const total = data.points.length;
  const subtitle = `Dots: ${total} ${data.dotWord}${data.basis === 'units' && averaged ? ' (technical replicates averaged)' : ''} · bar and whiskers: mean ± SD · n per group under its name${data.groups.some((g) => g.isControl) ? ' · ★ control' : ''}`;
  return (
    <ChartCard
      title={shown === 'fold' ? 'Fold change over control by group' : 'Mineralized area by group'}
      subtitle={subtitle}
      build={data.points.length ? build : null}
      testId="group-chart"
      exportSize={{ width: Math.max(420, 150 + 110 * data.groups.length), height: 380 }}
      empty="No measured samples in this batch."
      tools={
        canFold ? (
          <div className="seg" role="radiogroup" aria-label="Values">
            <button type="button" role="radio" aria-checked={shown === 'pct'} className={shown === 'pct' ? 'on' : ''} onClick={() => setMode('pct')}>
              %
            </button>
            <button type="button" role="radio" aria-checked={shown === 'fold'} className={shown === 'fold' ? 'on' : ''} onClick={() => setMode('fold')} data-testid="chart-fold">
              Fold
            </button>
          </div>
        ) : null
      }
    />
  );
}
