/**
 * Metadata from file names with a user pattern such as `{animal}_{group}_{section}`.
 *
 * - `{name}`: a field. Metadata names map by alias (`{donor}` → animal, `{condition}` → group,
 *   `{type}` → sample type, `{well}` → well id); any other name (`{section}`, `{day}`) is kept in
 *   `fields` only. `{*}`: any text, skipped. Everything else is literal text (case-insensitive).
 * - A field never contains the text that follows it in the pattern; a field at the end never
 *   contains any of the texts that separate fields. So `{animal}_{group}` does not match
 *   `M1_HP_extra` (instead of silently reading group `HP_extra`); write `{animal}_{group}_{*}`.
 *   `{condition} ({type})` does read `high phosphate (aorta)`.
 * - The extension is optional: the name is tried without its extension, then with it.
 * - Without `/` in the pattern only the file name is matched, with `/` the whole relative path.
 */
import { AppError } from '../common/errors.js';
import type { SampleMeta, SampleMetaField } from '../common/sample-meta.js';
import { SAMPLE_TYPES, baseName, metaFieldForName, normalizeName, normalizeSampleType, normalizeWellId, stemName } from '../common/sample-meta.js';

type Token =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'field'; readonly name: string; readonly role: SampleMetaField | 'well' | null }
  | { readonly kind: 'skip' };

export interface FileNamePattern {
  readonly source: string;
  readonly tokens: readonly Token[];
  readonly isPathPattern: boolean;
}

export type PatternMatch =
  | {
      readonly ok: true;
      /** Every named field as written in the name, keyed by the name used in the pattern. */
      readonly fields: Readonly<Record<string, string>>;
      readonly meta: SampleMeta;
      readonly well: string | null;
    }
  | { readonly ok: false; readonly reason: string };

export interface PatternPreview {
  /** Why the pattern itself is invalid (then `rows` is empty), else null. */
  readonly error: string | null;
  readonly rows: readonly { readonly name: string; readonly match: PatternMatch }[];
}

/** Parses a pattern; throws INPUT_INVALID naming the problem. */
export function compileFileNamePattern(pattern: string): FileNamePattern {
  const tokens: Token[] = [];
  const seen = new Set<string>();
  const re = /\{([^{}]*)\}|([^{}]+)|([{}])/g;
  for (let m = re.exec(pattern); m !== null; m = re.exec(pattern)) {
    if (m[3] !== undefined) throw patternError(pattern, `a “${m[3]}” has no partner. Fields look like {animal}.`);
    if (m[2] !== undefined) {
      tokens.push({ kind: 'literal', text: m[2] });
      continue;
    }
    const name = m[1]!.trim();
    const previous = tokens[tokens.length - 1];
    if (previous !== undefined && previous.kind !== 'literal') {
      throw patternError(pattern, `{${name}} follows another field directly; put the text that separates them in between, like {a}_{b}.`);
    }
    if (name === '*') tokens.push({ kind: 'skip' });
    else tokens.push(namedField(pattern, name, seen));
  }
  if (!tokens.some((t) => t.kind !== 'literal')) throw patternError(pattern, 'it has no field. Add one like {group}.');
  return { source: pattern, tokens, isPathPattern: pattern.includes('/') };
}

function namedField(pattern: string, name: string, seen: Set<string>): Token {
  if (!/^[A-Za-z][A-Za-z0-9 _-]*$/.test(name)) {
    throw patternError(pattern, `{${name}} is not a field name. Use letters, digits, spaces, _ or -, or {*} to skip text.`);
  }
  const n = normalizeName(name);
  const role = ['well', 'wellid', 'position'].includes(n) ? 'well' : metaFieldForName(name);
  const key = role ?? n;
  if (seen.has(key)) throw patternError(pattern, `{${name}} appears twice. Use {*} for text to skip.`);
  seen.add(key);
  return { kind: 'field', name, role };
}

function patternError(pattern: string, what: string): AppError {
  return new AppError('INPUT_INVALID', `The file name pattern “${pattern}” is not valid: ${what}`);
}

/** Fields of one file name (a path is reduced to its file name unless the pattern contains `/`). */
export function parseFileNamePattern(pattern: string | FileNamePattern, fileName: string): PatternMatch {
  const p = typeof pattern === 'string' ? compileFileNamePattern(pattern) : pattern;
  const full = p.isPathPattern ? fileName.replace(/\\/g, '/') : baseName(fileName);
  const stem = stemOfLast(full);
  const regex = new RegExp(`^${regexBody(p.tokens, p.tokens.length)}$`, 'iu');
  const m = regex.exec(stem) ?? regex.exec(full);
  if (m === null) return { ok: false, reason: diagnose(p.tokens, endsWithExtension(p) ? full : stem) };
  return toMatch(p.tokens, m);
}

/** Per name, the parsed fields or why it did not match; an invalid pattern gives `error`. */
export function previewPattern(pattern: string, names: readonly string[]): PatternPreview {
  let p: FileNamePattern;
  try {
    p = compileFileNamePattern(pattern);
  } catch (e) {
    return { error: e instanceof AppError ? e.userMessage : String(e), rows: [] };
  }
  return { error: null, rows: names.map((name) => ({ name, match: parseFileNamePattern(p, name) })) };
}

function stemOfLast(path: string): string {
  const i = path.lastIndexOf('/');
  return path.slice(0, i + 1) + stemName(path.slice(i + 1));
}

function endsWithExtension(p: FileNamePattern): boolean {
  const last = p.tokens[p.tokens.length - 1];
  return last?.kind === 'literal' && /\.[A-Za-z][A-Za-z0-9]{0,4}$/.test(last.text);
}

const escapeRegex = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
/** One or more characters, none starting any of `texts` (so the field never contains them). */
const textWithout = (texts: readonly string[]): string =>
  texts.length === 0 ? '[^]+' : `(?:(?!${texts.map(escapeRegex).join('|')})[^])+`;

/** Regex source of tokens[0..count) — each field's class depends on what follows it in the whole pattern. */
function regexBody(tokens: readonly Token[], count: number): string {
  const separators = [...new Set(tokens.flatMap((t, i) => (t.kind === 'literal' && i > 0 ? [t.text] : [])))];
  return tokens
    .slice(0, count)
    .map((t, i) => {
      const next = tokens[i + 1];
      if (t.kind === 'literal') return escapeRegex(t.text);
      if (t.kind === 'skip') return next === undefined ? '(?:[^]+)' : '(?:[^]+?)';
      return `(${textWithout(next?.kind === 'literal' ? [next.text] : separators)})`;
    })
    .join('');
}

function toMatch(tokens: readonly Token[], m: RegExpExecArray): PatternMatch {
  const fields: Record<string, string> = {};
  const meta: Record<string, string> = {};
  let well: string | null = null;
  let group = 1;
  for (const t of tokens) {
    if (t.kind !== 'field') continue;
    const value = m[group++]!;
    fields[t.name] = value;
    if (t.role === 'well') {
      well = normalizeWellId(value);
      if (well === null) return { ok: false, reason: `{${t.name}} is “${value}”, which is not a well id like A1.` };
    } else if (t.role === 'sampleType') {
      const type = normalizeSampleType(value);
      if (type === null) return { ok: false, reason: `{${t.name}} is “${value}”, not one of ${SAMPLE_TYPES.join(', ')}.` };
      meta.sampleType = type;
    } else if (t.role !== null) meta[t.role] = value;
  }
  return { ok: true, fields, meta: meta as SampleMeta, well };
}

/** Plain-words reason why `name` does not match: the first part of the pattern that fails. */
function diagnose(tokens: readonly Token[], name: string): string {
  let k = tokens.length;
  let prefix: RegExpExecArray | null = null;
  for (; k > 0; k--) {
    prefix = new RegExp(`^${regexBody(tokens, k)}`, 'iu').exec(name);
    if (prefix !== null) break;
  }
  const done = prefix?.[0] ?? '';
  const rest = name.slice(done.length);
  const after = k > 0 ? ` after “${done}”` : '';
  if (k === tokens.length) return `“${rest}” is left over${after}; add {*} to the pattern to skip it.`;
  const t = tokens[k]!;
  if (t.kind === 'literal') {
    return rest === '' ? `the name ends${after}, expected “${t.text}”.` : `expected “${t.text}”${after} but found “${rest}”.`;
  }
  const label = t.kind === 'skip' ? '{*}' : `{${t.name}}`;
  return `${label} is empty${after}.`;
}
