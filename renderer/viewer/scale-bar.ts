/** A scale bar of a "nice" length (1, 2 or 5 × 10ⁿ µm) close to a target width on screen. */
export interface ScaleBar {
  readonly widthPx: number;
  readonly label: string;
}

export function computeScaleBar(pixelSizeUm: number, screenPxPerImagePx: number, targetPx = 120): ScaleBar | null {
  if (!(pixelSizeUm > 0) || !(screenPxPerImagePx > 0)) return null;
  const umPerScreenPx = pixelSizeUm / screenPxPerImagePx;
  const raw = targetPx * umPerScreenPx;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].map((m) => m * pow).filter((v) => v <= raw * 1.25).pop() ?? pow;
  return { widthPx: nice / umPerScreenPx, label: formatLengthUm(nice) };
}

export function formatLengthUm(um: number): string {
  if (um >= 1000) return `${trim(um / 1000)} mm`;
  if (um >= 1) return `${trim(um)} µm`;
  return `${trim(um * 1000)} nm`;
}

const trim = (v: number) => String(Number(v.toPrecision(3)));
