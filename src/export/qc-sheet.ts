/**
 * QC contact sheet: one self-contained HTML file (inline CSS, thumbnails as data: URIs, no script,
 * no external resource; a CSP meta tag forbids both) so a reviewer spots a failed segmentation in
 * minutes. Top: provenance and the group summary table; then, per group in the study's group
 * order, every image with its original and overlay thumbnails side by side and its numbers.
 * Every user string (file names, groups, notes, messages) is HTML-escaped.
 */
import type { StudyRow } from '../study/tables.js';
import type { GroupSummary, StudySummary } from '../study/stats.js';
import { groupOf } from '../study/stats.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { formatFixed } from './csv.js';

export interface QcThumbnails {
  /** JPEG or PNG bytes; null when there is none (the card says so). */
  readonly original: Uint8Array | null;
  readonly overlay: Uint8Array | null;
}

export interface QcSheetInput {
  readonly title?: string;
  /** ISO 8601 time of the export. */
  readonly createdAt: string;
  readonly appVersion: string;
  readonly recipeId: string;
  readonly recipeHash: string;
  readonly blinded: boolean;
  /** All measured rows; image rows become cards, well/region rows a small table in their image's card. */
  readonly rows: readonly StudyRow[];
  readonly summary: StudySummary<StudyRow>;
  /** Keyed by ImageResult.image. */
  readonly thumbnails: ReadonlyMap<string, QcThumbnails>;
}

const NO_GROUP = '(no group)';
const MIXED = '(several groups)';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `data:` URI of JPEG/PNG bytes (sniffed from the bytes, not trusted from a name); null otherwise. */
export function imageDataUri(bytes: Uint8Array | null): string | null {
  if (bytes === null || bytes.length < 8) return null;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const isPng = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b);
  if (!isJpeg && !isPng) return null;
  return `data:image/${isJpeg ? 'jpeg' : 'png'};base64,${Buffer.from(bytes).toString('base64')}`;
}

const num = (x: number | null, decimals: number): string => (x === null ? '–' : formatFixed(x, decimals) || '–');
const pct = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : `${num(x, 2)} %`);

function referenceText(r: StudyRow['result']): string {
  if (r.referenceAreaPx === null) return r.reference ?? '–';
  const um2 = r.referenceAreaUm2 === null ? '' : ` (${num(r.referenceAreaUm2, 0)} µm²)`;
  return `${r.reference ?? '–'}, ${num(r.referenceAreaPx, 0)} px${um2}`;
}

/** A1, A2, …, A12, B1 (row letter, then column number); regions by label. */
function byWellThenRegion(a: StudyRow, b: StudyRow): number {
  const key = (r: StudyRow): [string, number, string] => {
    const m = /^([A-Z])(\d+)$/.exec(r.well ?? '');
    return m === null ? ['~', 0, r.region ?? r.well ?? ''] : [m[1]!, Number(m[2]), ''];
  };
  const [ra, ca, la] = key(a);
  const [rb, cb, lb] = key(b);
  return ra.localeCompare(rb) || ca - cb || la.localeCompare(lb, undefined, { numeric: true });
}

/** The image's section: its own group, else the one group all its wells/regions share. */
function sectionOf(image: StudyRow, parts: readonly StudyRow[]): string | null {
  const own = groupOf(image);
  if (own !== null || parts.length === 0) return own;
  const groups = new Set(parts.map(groupOf));
  return groups.size === 1 ? [...groups][0]! : MIXED;
}

/** The complete HTML document. */
export function formatQcSheetHtml(input: QcSheetInput): string {
  const images = input.rows.filter((r) => r.level === 'image');
  const partsOf = (image: string): StudyRow[] => input.rows.filter((r) => r.level !== 'image' && r.image === image);
  const order: (string | null)[] = [...input.summary.groups.map((g) => g.group), MIXED];
  const sections = new Map<string | null, StudyRow[]>();
  for (const img of images) {
    const s = sectionOf(img, partsOf(img.image));
    sections.set(s, [...(sections.get(s) ?? []), img]);
  }
  const sorted = [...sections.entries()].sort(([a], [b]) => rankIn(order, a) - rankIn(order, b));
  let card = 0;
  const body = sorted
    .map(([group, rows]) => {
      const cards = rows.map((r) => imageCard(r, partsOf(r.image), input.thumbnails.get(r.image), card++)).join('\n');
      const count = `${rows.length} image${rows.length === 1 ? '' : 's'}`;
      return `<section><h2>${escapeHtml(group ?? NO_GROUP)} <small>${count}</small></h2>\n${cards}</section>`;
    })
    .join('\n');
  const title = escapeHtml(input.title ?? 'Calciquant QC contact sheet');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${CSS}</style></head>
<body><h1>${title}</h1>
${headerTable(input, images)}
${summaryTable(input.summary.groups)}
${input.summary.warnings.map((w) => `<p class="warn">${escapeHtml(w)}</p>`).join('\n')}
${body}
</body></html>
`;
}

function rankIn(order: readonly (string | null)[], g: string | null): number {
  const i = order.indexOf(g);
  return i < 0 ? order.length : i;
}

function headerTable(input: QcSheetInput, images: readonly StudyRow[]): string {
  const failed = images.filter((r) => r.result.status === 'error').length;
  const o = input.summary.options;
  const rows: [string, string][] = [
    ['Created', input.createdAt],
    ['App version', input.appVersion],
    ['Recipe', `${input.recipeId} (sha256 ${input.recipeHash.slice(0, 12)}…)`],
    ['Blinded analysis', input.blinded ? 'yes' : 'no'],
    ['Images', `${images.length} (${failed} failed)`],
    ['Statistics', `${o.averageReplicates ? 'technical replicates averaged per unit' : 'every observation counted'}; unit: ${o.unitBy}`],
    ['Control group', o.controlGroup ?? '–'],
  ];
  return `<table class="meta">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

function summaryTable(groups: readonly GroupSummary[]): string {
  const head = ['Group', 'n', 'Basis', 'Mean %', 'SD', 'SEM', 'Median', 'Min', 'Max', 'Fold change', 'Excluded'];
  const rows = groups.map((g) => {
    const s = g.stats;
    const cells = [
      escapeHtml(g.group ?? NO_GROUP) + (g.isControl ? ' (control)' : ''),
      String(s.n),
      g.basis,
      num(s.mean, 2),
      num(s.sd, 2),
      num(s.sem, 2),
      num(s.median, 2),
      num(s.min, 2),
      num(s.max, 2),
      g.foldChange === null ? '–' : num(g.foldChange, 2) + (g.foldChangeSd === null ? '' : ` ± ${num(g.foldChangeSd, 2)}`),
      String(g.nExcluded),
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<table class="summary"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function thumb(bytes: Uint8Array | null, what: string, name: string): string {
  const uri = imageDataUri(bytes);
  if (uri === null) return `<div class="thumb missing">no ${what} thumbnail</div>`;
  return `<img class="thumb" src="${uri}" alt="${escapeHtml(`${what} of ${name}`)}">`;
}

function imageCard(row: StudyRow, parts: readonly StudyRow[], thumbs: QcThumbnails | undefined, index: number): string {
  const r = row.result;
  const isError = r.status === 'error';
  const facts: [string, string][] = [
    ['Mineral', pct(r.mineralPct)],
    ['Reference', referenceText(r)],
    ['Deposits', num(r.depositCount, 0)],
    ['Status', isError ? `error${r.errorCode === null ? '' : ` (${r.errorCode})`}` : 'ok'],
  ];
  const meta = [row.meta.sampleType, row.meta.animal && `animal ${row.meta.animal}`, row.meta.replicate && `rep ${row.meta.replicate}`]
    .filter((x): x is string => typeof x === 'string' && x !== '')
    .join(' · ');
  const messages = [...(r.error === null ? [] : [r.error]), ...r.warnings, ...(row.meta.notes ? [`Note: ${row.meta.notes}`] : [])];
  return `<article id="img-${index}" class="card${isError ? ' error' : ''}">
<h3>${escapeHtml(r.image)}</h3>${meta === '' ? '' : `<p class="sub">${escapeHtml(meta)}</p>`}
<div class="pair">${thumb(thumbs?.original ?? null, 'original', r.image)}${thumb(thumbs?.overlay ?? null, 'overlay', r.image)}</div>
<table class="facts">${facts.map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
${messages.map((m) => `<p class="msg">${escapeHtml(m)}</p>`).join('')}${partsTable(parts)}
</article>`;
}

function partsTable(parts: readonly StudyRow[]): string {
  if (parts.length === 0) return '';
  const rows = [...parts].sort(byWellThenRegion).map((p) => {
    const cells = [p.well ?? p.region ?? '', groupOf(p) ?? '', pct(p.result.mineralPct), p.result.status];
    return `<tr${p.result.status === 'error' ? ' class="error"' : ''}>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  const head = [parts[0]!.level === 'well' ? 'Well' : 'Region', 'Group', 'Mineral', 'Status'].map((h) => `<th>${h}</th>`).join('');
  return `<table class="parts"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Writes the contact sheet atomically. */
export async function writeQcSheet(filePath: string, input: QcSheetInput): Promise<void> {
  await writeFileAtomic(filePath, formatQcSheetHtml(input));
}

const CSS = `
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:16px}
h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:20px 0 8px;border-bottom:2px solid #444}
h2 small{font-weight:normal;color:#666}h3{font-size:13px;margin:0 0 4px;word-break:break-all}
table{border-collapse:collapse}th,td{padding:2px 6px;text-align:left;vertical-align:top}
table.summary th,table.summary td{border:1px solid #bbb}table.summary td:not(:first-child){text-align:right}
table.meta th{color:#555;font-weight:normal}
section{display:flex;flex-wrap:wrap;gap:10px}section h2{flex-basis:100%}
.card{border:1px solid #ccc;border-radius:4px;padding:8px;width:500px;break-inside:avoid;page-break-inside:avoid}
.card.error{border:2px solid #c00;background:#fff5f5}tr.error td{color:#c00}
.pair{display:flex;gap:6px}.thumb{width:244px;height:auto;max-height:244px;object-fit:contain;background:#eee}
.thumb.missing{height:120px;display:flex;align-items:center;justify-content:center;color:#888;font-style:italic}
.sub{margin:0 0 4px;color:#555}.msg{margin:2px 0;color:#a40}.warn{color:#a40;font-weight:bold}
table.parts{margin-top:4px;font-size:12px}table.parts th{border-bottom:1px solid #bbb}
@page{margin:12mm}@media print{body{margin:0}.card{width:86mm}.thumb{width:41mm}}
`;
