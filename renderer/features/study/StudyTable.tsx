/** The study's numbers per level: groups, units (animals / images), samples (images, wells, regions). */
import type { DescriptiveStatsView, StudyView } from '../../../src/common/api.js';
import type { StudyLevel } from '../../state/study-slice.js';
import { NO_GROUP_LABEL } from './chart-data.js';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '' : v.toFixed(2));
const fold = (v: number | null | undefined) => (v === null || v === undefined ? '' : v.toFixed(3));
const STAT_HEADS = ['Mean %', 'SD', 'SEM', 'Median', 'Min', 'Max'];

function StatCells({ s }: { s: DescriptiveStatsView }) {
  return (
    <>
      {[s.mean, s.sd, s.sem, s.median, s.min, s.max].map((v, i) => (
        <td key={i} className={`n${i === 0 ? ' c-mineral_pct' : ''}`}>
          {pct(v)}
        </td>
      ))}
    </>
  );
}

const Group = ({ g }: { g: string | null }) => (g === null ? <span className="muted">{NO_GROUP_LABEL}</span> : <>{g}</>);

export function StudyTable({ view, level }: { view: StudyView; level: StudyLevel }) {
  const hasFold = view.groups.some((g) => g.foldChange !== null);
  const heads =
    level === 'groups'
      ? ['Group', 'n', ...STAT_HEADS, ...(hasFold ? ['Fold change', 'Fold SD'] : [])]
      : level === 'units'
        ? ['Group', 'Unit', 'Kind', 'n', ...STAT_HEADS, ...(hasFold ? ['Fold change'] : [])]
        : ['Image', 'Well', 'Region', 'Group', 'Unit', 'Mineral %', ...(hasFold ? ['Fold change'] : [])];
  const numeric = (h: string) => !['Group', 'Unit', 'Kind', 'Image', 'Well', 'Region'].includes(h);
  return (
    <div className="table-wrap study-table-wrap">
      <table className="results study-table" data-testid={`study-table-${level}`}>
        <thead>
          <tr>
            {heads.map((h) => (
              <th key={h} className={numeric(h) ? 'n' : ''}>
                <span className="th">{h}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {level === 'groups'
            ? view.groups.map((g) => (
                <tr key={g.group ?? '\u0000'} className={g.isControl ? 'control' : ''} data-group={g.group ?? ''}>
                  <td>
                    <Group g={g.group} />
                    {g.isControl ? <span className="tag">control</span> : null}
                  </td>
                  <td className="n" title={`${g.nUnits} unit(s), ${g.nObservations} measurement(s); statistics over ${g.basis}`}>
                    {g.stats.n}
                  </td>
                  <StatCells s={g.stats} />
                  {hasFold ? (
                    <>
                      <td className="n">{fold(g.foldChange)}</td>
                      <td className="n">{fold(g.foldChangeSd)}</td>
                    </>
                  ) : null}
                </tr>
              ))
            : level === 'units'
              ? view.units.map((u, i) => (
                  <tr key={`${u.group}-${u.unit}-${i}`}>
                    <td>
                      <Group g={u.group} />
                    </td>
                    <td>{u.unit}</td>
                    <td className="muted">{u.unitKind}</td>
                    <td className="n">{u.stats.n}</td>
                    <StatCells s={u.stats} />
                    {hasFold ? <td className="n">{fold(u.foldChange)}</td> : null}
                  </tr>
                ))
              : view.observations.map((o, i) => (
                  <tr key={i} className={o.mineralPct === null ? 'err' : ''}>
                    <td>{o.image}</td>
                    <td>{o.well ?? ''}</td>
                    <td>{o.region ?? ''}</td>
                    <td>
                      <Group g={o.group} />
                    </td>
                    <td>{o.unit}</td>
                    <td className="n c-mineral_pct">{o.mineralPct === null ? 'failed' : pct(o.mineralPct)}</td>
                    {hasFold ? <td className="n">{fold(o.foldChange)}</td> : null}
                  </tr>
                ))}
        </tbody>
      </table>
    </div>
  );
}
