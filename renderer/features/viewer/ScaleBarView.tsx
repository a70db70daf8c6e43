import { computeScaleBar } from '../../viewer/scale-bar.js';

export function ScaleBarView({ pixelSizeUm, screenPxPerImagePx }: { pixelSizeUm: number; screenPxPerImagePx: number }) {
  const bar = computeScaleBar(pixelSizeUm, screenPxPerImagePx);
  if (!bar) return null;
  return (
    <div className="scale-bar" aria-label={`Scale bar ${bar.label}`} data-testid="scale-bar">
      <div className="scale-label">{bar.label}</div>
      <div className="scale-line" style={{ width: `${bar.widthPx}px` }} />
    </div>
  );
}
