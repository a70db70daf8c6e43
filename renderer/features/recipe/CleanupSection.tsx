/** Clean-up of the mask: morphological opening and removal of tiny deposits. */
import { Section } from '../../components/Section.js';
import { Slider } from '../../components/Slider.js';
import { onSliderDrag, useStepParams } from './use-recipe-edit.js';

export function CleanupSection() {
  const [open, setOpen] = useStepParams('morph.open');
  const [small, setSmall] = useStepParams('objects.removeSmall');
  const minAreaPx = small && 'minAreaPx' in small ? small.minAreaPx : 0;
  return (
    <Section title="Clean-up">
      <Slider
        label="Opening radius"
        unit="px"
        min={0}
        max={10}
        step={1}
        decimals={0}
        value={open?.radiusPx ?? 0}
        hint="Removes specks and thin bridges narrower than about twice this radius (0 = off)."
        onChange={(v) => setOpen(v >= 1 ? { radiusPx: Math.round(v) } : null)}
        onDragChange={onSliderDrag}
      />
      {small && 'minAreaUm2' in small ? (
        <p className="hint">Minimum deposit area: {small.minAreaUm2} µm² (set in the recipe file).</p>
      ) : (
        <Slider
          label="Minimum deposit area"
          unit="px"
          min={0}
          max={500}
          step={1}
          decimals={0}
          value={minAreaPx}
          hint="Deposits smaller than this many pixels are not counted (0 = keep all)."
          onChange={(v) => setSmall(v >= 1 ? { minAreaPx: Math.round(v) } : null)}
          onDragChange={onSliderDrag}
        />
      )}
    </Section>
  );
}
