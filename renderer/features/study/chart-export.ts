/**
 * Chart files: SVG by serializing the chart (self-contained: Plot's styles are inline), PNG by
 * drawing that SVG onto a canvas at 2× (300 dpi-ish for a 7 cm figure). Saved through the client
 * (desktop: save dialog; browser: a download).
 */
import type { AppClient } from '../../api/types.js';
import { svgSize } from './svg-compose.js';

export function serializeSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  const { width, height } = svgSize(copy);
  if (!copy.getAttribute('viewBox') && width && height) copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** PNG bytes of an SVG document, `scale` device pixels per SVG pixel. */
export async function svgToPng(markup: string, widthPx: number, heightPx: number, scale = 2): Promise<Uint8Array> {
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(widthPx * scale);
    canvas.height = Math.ceil(heightPx * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the PNG could not be encoded');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A file name from a title: `Mineral % by group` → `mineral-by-group`. */
export function chartFileName(title: string, ext: 'svg' | 'png'): string {
  const base = title.toLowerCase().replace(/%/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
  return `${base.slice(0, 60)}.${ext}`;
}

/** Saves a chart; returns where (or null when the user cancelled). */
export async function saveChart(client: AppClient, svg: SVGSVGElement, title: string, format: 'svg' | 'png'): Promise<string | null> {
  const markup = serializeSvg(svg);
  if (format === 'svg') return client.saveText(chartFileName(title, 'svg'), markup, 'image/svg+xml');
  const { width, height } = svgSize(svg);
  return client.saveBytes(chartFileName(title, 'png'), await svgToPng(markup, width, height), 'image/png');
}
