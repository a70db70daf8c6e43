/** Bottom dock: results table and problems, with the batch progress in its header; resizable. */
import { useEffect, useRef } from 'react';
import { selectFailedRows } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { BatchProgress } from '../batch/BatchProgress.js';
import { ProblemsList } from '../batch/ProblemsList.js';
import { StudyPanel } from '../study/StudyPanel.js';
import { ResultsTable } from './ResultsTable.js';

export function BottomDock({ onResize }: { onResize(deltaPx: number): void }) {
  const tab = useAppStore((s) => s.bottomTab);
  const setTab = useAppStore((s) => s.setBottomTab);
  const rowCount = useAppStore((s) => s.rows.length);
  const problems = useAppStore((s) => selectFailedRows(s).length + s.skipped.length);
  const drag = useRef<number | null>(null);
  const dockRef = useRef<HTMLElement>(null);
  // The study needs room for its charts: grow the dock when its tab opens.
  useEffect(() => {
    const el = dockRef.current, center = el?.parentElement;
    if (tab !== 'study' || !el || !center) return;
    const want = Math.round(center.getBoundingClientRect().height * 0.62) - el.getBoundingClientRect().height;
    if (want > 0) onResize(want);
  }, [tab]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <section ref={dockRef} className="dock" aria-label="Batch results">
      <div
        className="dock-splitter"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize the results area"
        onPointerDown={(e) => {
          drag.current = e.clientY;
          (e.target as Element).setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          if (drag.current === null) return;
          onResize(drag.current - e.clientY);
          drag.current = e.clientY;
        }}
        onPointerUp={() => (drag.current = null)}
      />
      <div className="dock-head">
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'results'} className={tab === 'results' ? 'on' : ''} onClick={() => setTab('results')} data-testid="tab-results">
            Results <span className="count">{rowCount}</span>
          </button>
          <button type="button" role="tab" aria-selected={tab === 'problems'} className={tab === 'problems' ? 'on' : ''} onClick={() => setTab('problems')} data-testid="tab-problems">
            Problems {problems ? <span className="count bad">{problems}</span> : <span className="count">0</span>}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'study'} className={tab === 'study' ? 'on' : ''} onClick={() => setTab('study')} data-testid="tab-study">
            Study
          </button>
        </div>
        <BatchProgress />
      </div>
      <div className="dock-body" role="tabpanel">
        {tab === 'results' ? <ResultsTable /> : tab === 'study' ? <StudyPanel /> : <ProblemsList />}
      </div>
    </section>
  );
}
