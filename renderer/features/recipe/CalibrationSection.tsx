/** Pixel size override (µm/px) for every image; otherwise the calibration in each file. */
import { Section } from '../../components/Section.js';
import { selectCurrentImage } from '../../state/selectors.js';
import { useAppStore } from '../../state/use-app-store.js';

export function CalibrationSection() {
  const pixelSizeUm = useAppStore((s) => s.pixelSizeUm);
  const setPixelSizeUm = useAppStore((s) => s.setPixelSizeUm);
  const image = useAppStore(selectCurrentImage);
  const fromFile = image?.pixelSizeUm;
  return (
    <Section title="Calibration" defaultOpen={false}>
      <div className="field">
        <label htmlFor="pixel-size">Pixel size</label>
        <div className="slider-row">
          <input
            id="pixel-size"
            type="number"
            className="num wide"
            min={0}
            step={0.001}
            placeholder={fromFile ? `${Number(fromFile.toPrecision(4))} (from file)` : 'not in the file'}
            value={pixelSizeUm ?? ''}
            onChange={(e) => setPixelSizeUm(e.target.value === '' ? null : Number(e.target.value))}
          />
          <span className="unit">µm/px</span>
        </div>
      </div>
      <p className="hint">
        {pixelSizeUm ? 'Overrides the calibration stored in every image file.' : fromFile ? `From the file (${image?.pixelSizeSource ?? 'metadata'}). Type a value to override it.` : 'This image has no calibration: areas are in pixels only.'}
      </p>
    </Section>
  );
}
