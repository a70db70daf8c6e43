/**
 * Sample metadata of the selected images (or the picked wells or regions of the current image): sample
 * type, group, animal / donor, replicate, notes. Several targets at once; differing values show as
 * mixed. Plate maps / sample sheets and file-name patterns fill many at once.
 */
import { useState } from 'react';
import { SAMPLE_TYPES, type SampleMetaField } from '../../../src/common/sample-meta.js';
import { Icon } from '../../components/Icon.js';
import { targetKey } from '../../state/metadata-model.js';
import { selectAllGroups, selectMetaTargets, selectTargetsMeta } from '../../state/metadata-selectors.js';
import { useAppStore } from '../../state/use-app-store.js';
import { selectCurrentPlate } from '../plate/plate-selectors.js';
import { ImageName } from './ImageName.js';
import { MetaTextField } from './MetaTextField.js';
import { RegionPicker } from './RegionPicker.js';
import { WellPicker } from './WellPicker.js';

const MIXED = '\u0000mixed';

export function MetadataPanel() {
  const [open, setOpen] = useState(true);
  const t = useAppStore(selectMetaTargets);
  const fields = useAppStore(selectTargetsMeta);
  const groups = useAppStore(selectAllGroups);
  const plate = useAppStore(selectCurrentPlate);
  const blinded = useAppStore((s) => s.blinded);
  const setMeta = useAppStore((s) => s.setMeta);
  const importSheet = useAppStore((s) => s.importSampleSheet);
  const openPattern = useAppStore((s) => s.setNamePatternOpen);
  const hasImages = useAppStore((s) => s.images.length > 0);
  const first = useAppStore((s) => s.images.find((i) => i.id === t.targets[0]?.imageId) ?? null);
  const n = t.targets.length;
  const currentId = useAppStore((s) => s.currentId);
  const sig = t.targets.map(targetKey).join(',');
  const key = (f: SampleMetaField) => `${sig}|${JSON.stringify(fields[f])}`;
  const commit = (f: SampleMetaField) => (v: string | null) => void setMeta(t.targets, { [f]: v });
  const what = `${n} ${t.kind === 'wells' ? 'well' : t.kind === 'regions' ? 'region' : 'image'}${n === 1 ? '' : 's'}`;
  const parts = t.kind === 'wells' ? t.targets.map((x) => x.well) : t.kind === 'regions' ? t.targets.map((x) => `“${x.region}”`) : null;
  const type = fields.sampleType;
  return (
    <section className={`meta-panel${open ? '' : ' closed'}`} aria-label="Sample metadata" data-testid="meta-panel">
      <header className="meta-head">
        <button type="button" className="section-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span className="chevron" aria-hidden>
            ▸
          </span>
          Sample
        </button>
        <div className="head-actions">
          <button type="button" className="btn ghost small" disabled={!hasImages} onClick={() => void importSheet()} title="Apply a plate map or sample sheet (CSV: a File, Well and/or Region column, then Group, Animal, Sample type, Replicate, Notes). Rows with only a well or region apply to the selected images." data-testid="import-sheet">
            <Icon name="table" size={13} /> Sheet…
          </button>
          <button type="button" className="btn ghost small" disabled={!hasImages || blinded} onClick={() => openPattern(true)} title={blinded ? 'Not while blinded: the preview shows names and groups' : 'Read metadata from file names with a pattern such as {animal}_{group}_{section}'} data-testid="name-pattern">
            <Icon name="tag" size={13} /> Names…
          </button>
        </div>
      </header>
      {open ? (
        <div className="meta-body">
          {plate ? <WellPicker plate={plate} /> : null}
          {currentId ? <RegionPicker imageId={currentId} /> : null}
          <div className="meta-what" data-testid="meta-what">
            {n ? (
              <>
                Editing <strong>{what}</strong>
                {parts ? ` (${parts.slice(0, 4).join(', ')}${n > 4 ? ', …' : ''})` : n === 1 && first ? <> · <ImageName image={first} /></> : null}
                {t.kind === 'regions' ? <span className="hint"> · unset fields are the image's</span> : null}
              </>
            ) : (
              'Select images in the list (or wells above) to describe them.'
            )}
          </div>
          <div className="meta-row">
            <label htmlFor="meta-type">Sample type</label>
            <div className="meta-input">
              <select
                id="meta-type"
                key={key('sampleType')}
                disabled={!n}
                data-testid="meta-sampleType"
                defaultValue={type.kind === 'same' ? type.value : type.kind === 'mixed' ? MIXED : ''}
                onChange={(e) => e.target.value !== MIXED && void setMeta(t.targets, { sampleType: e.target.value || null })}
              >
                <option value="">—</option>
                {type.kind === 'mixed' ? (
                  <option value={MIXED} disabled>
                    mixed: {type.values.join(', ')}
                  </option>
                ) : null}
                {SAMPLE_TYPES.map((st) => (
                  <option key={st} value={st}>
                    {st}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {blinded ? (
            <div className="meta-row">
              <label>Group</label>
              <div className="meta-input hidden-value">hidden while blinded</div>
            </div>
          ) : (
            <MetaTextField label="Group" state={fields.group} resetKey={key('group')} listId="meta-groups" testId="meta-group" disabled={!n} onCommit={commit('group')} />
          )}
          <MetaTextField label="Animal / donor" state={fields.animal} resetKey={key('animal')} testId="meta-animal" disabled={!n} onCommit={commit('animal')} />
          <MetaTextField label="Replicate" state={fields.replicate} resetKey={key('replicate')} testId="meta-replicate" disabled={!n} onCommit={commit('replicate')} />
          <MetaTextField label="Notes" state={fields.notes} resetKey={key('notes')} multiline testId="meta-notes" disabled={!n} onCommit={commit('notes')} />
          <datalist id="meta-groups">
            {groups.map((g) => (
              <option key={g} value={g} />
            ))}
          </datalist>
        </div>
      ) : null}
    </section>
  );
}
