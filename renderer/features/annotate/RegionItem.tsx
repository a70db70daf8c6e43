/** One region in the list: colour, name (rename in place), result, role, visibility, delete. */
import { memo, useEffect, useRef, useState } from 'react';
import type { ImageResult } from '../../../src/common/result.js';
import type { Roi } from '../../../src/common/roi.js';
import { formatAreaUm2, formatCount, formatPct } from '../../components/format.js';
import { Icon } from '../../components/Icon.js';
import { useAppStore } from '../../state/use-app-store.js';
import { INCLUDE_COLOURS, roiUiColour } from '../../viewer/roi-style.js';
import { ToolIcon } from './ToolIcon.js';

export interface RegionItemProps {
  readonly roi: Roi;
  readonly name: string;
  readonly selected: boolean;
  readonly areaPx: number;
  readonly pixelSizeUm: number | null;
  /** The region's row of the live preview (include regions), if there is one. */
  readonly result: ImageResult | null;
}

export const RegionItem = memo(function RegionItem({ roi, name, selected, areaPx, pixelSizeUm, result }: RegionItemProps) {
  const select = useAppStore((s) => s.selectRoi);
  const edit = useAppStore((s) => s.editRoi);
  const remove = useAppStore((s) => s.deleteRoi);
  const [draft, setDraft] = useState(roi.label ?? '');
  const [palette, setPalette] = useState(false);
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => setDraft(roi.label ?? ''), [roi.label]);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView?.({ block: 'nearest' });
    else setPalette(false);
  }, [selected]);
  const commit = () => {
    if ((draft.trim() || undefined) !== roi.label) edit(roi.id, { label: draft });
  };
  const area = pixelSizeUm ? formatAreaUm2(areaPx * pixelSizeUm * pixelSizeUm) : `${formatCount(areaPx)} px²`;
  const colour = roiUiColour(roi);
  return (
    <li
      ref={ref}
      className={`region-item ${roi.role}${selected ? ' selected' : ''}${roi.hidden ? ' hidden' : ''}`}
      data-roi-id={roi.id}
      data-role={roi.role}
      aria-selected={selected}
      role="option"
      onClick={() => select(roi.id)}
    >
      <button
        type="button"
        className={`ri-swatch ${roi.role}`}
        style={{ ['--c' as string]: colour }}
        title={roi.role === 'include' ? 'Colour' : 'Exclude regions are hatched in vermillion'}
        aria-label="Region colour"
        disabled={roi.role !== 'include'}
        onClick={(e) => {
          e.stopPropagation();
          select(roi.id);
          setPalette((p) => !p);
        }}
      />
      <input
        className="ri-label"
        value={draft}
        placeholder={name}
        aria-label="Region name"
        maxLength={200}
        spellCheck={false}
        onChange={(e) => setDraft(e.target.value)}
        onFocus={() => select(roi.id)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
          else if (e.key === 'Escape') {
            e.stopPropagation();
            setDraft(roi.label ?? '');
            requestAnimationFrame(() => (e.target as HTMLInputElement).blur());
          }
        }}
      />
      <span className="ri-value" title={roi.role === 'include' ? 'Mineral % of this region (live preview) and its area' : 'Left out of the measurement'}>
        {roi.role === 'include' ? <b data-testid="region-pct">{result?.status === 'ok' ? `${formatPct(result.mineralPct)} %` : '—'}</b> : <b className="ex">excluded</b>}
        <small>{area}</small>
      </span>
      <button
        type="button"
        className={`ri-role ${roi.role}`}
        title={roi.role === 'include' ? 'Measured (include). Click to exclude it instead.' : 'Left out (exclude). Click to measure it instead.'}
        aria-label={`Role: ${roi.role}`}
        data-testid="region-role"
        onClick={(e) => {
          e.stopPropagation();
          edit(roi.id, { role: roi.role === 'include' ? 'exclude' : 'include' });
        }}
      >
        {roi.role === 'include' ? 'IN' : 'EX'}
      </button>
      <button
        type="button"
        className="icon-btn ri-icon"
        aria-pressed={!roi.hidden}
        aria-label={roi.hidden ? 'Show' : 'Hide'}
        title={roi.hidden ? 'Hidden on the image (still measured). Click to show.' : 'Hide on the image (it is still measured)'}
        onClick={(e) => {
          e.stopPropagation();
          edit(roi.id, { hidden: !roi.hidden });
        }}
      >
        <ToolIcon name={roi.hidden ? 'eyeOff' : 'eye'} size={15} />
      </button>
      <button
        type="button"
        className="icon-btn ri-icon danger"
        aria-label="Delete region"
        title="Delete (Del)"
        onClick={(e) => {
          e.stopPropagation();
          remove(roi.id);
        }}
      >
        <Icon name="trash" size={14} />
      </button>
      {palette && roi.role === 'include' ? (
        <div className="ri-palette" role="radiogroup" aria-label="Colour" onClick={(e) => e.stopPropagation()}>
          {INCLUDE_COLOURS.map((c) => (
            <button
              key={c.hex}
              type="button"
              role="radio"
              aria-checked={(roi.colour ?? INCLUDE_COLOURS[0]!.hex).toUpperCase() === c.hex}
              title={c.name}
              style={{ background: c.hex }}
              onClick={() => {
                edit(roi.id, { colour: c.hex });
                setPalette(false);
              }}
            />
          ))}
        </div>
      ) : null}
    </li>
  );
});
