/** Stroke icons of the annotation tools (24 × 24 grid, current text colour). */
import type { ToolId } from '../../tools/index.js';

const PATHS: Record<ToolId | 'undo' | 'redo' | 'include' | 'exclude' | 'eye' | 'eyeOff' | 'import' | 'export' | 'copy', string> = {
  select: 'M5 3l13 8-6 1.5L9 19z M12.5 13l4.5 6',
  polygon: 'M5 7l7-4 7 6-2 10H7z M5 7h.01 M12 3h.01 M19 9h.01 M17 19h.01 M7 19h.01',
  freehand: 'M6 15c-3-5 2-11 8-10s7 6 4 9-7 1-8 4 1 4 4 3',
  rectangle: 'M4 6h16v12H4z',
  ellipse: 'M12 5c5 0 9 3.1 9 7s-4 7-9 7-9-3.1-9-7 4-7 9-7z',
  brush: 'M14.5 4.5l5 5-7.5 7.5-5-5z M7 12c-2.5 0-4 2-4 4.5 0 1.5-.5 3-1 3.5 3 0 7-1 7-4.5',
  eraser: 'M4 15.5l9-9 6.5 6.5-7 7H8z M9 11l6.5 6.5 M8 20h12',
  undo: 'M9 14L4 9l5-5 M4 9h11a5 5 0 0 1 0 10h-3',
  redo: 'M15 14l5-5-5-5 M20 9H9a5 5 0 0 0 0 10h3',
  include: 'M12 7v10 M7 12h10',
  exclude: 'M7 12h10',
  eye: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6',
  eyeOff: 'M3 3l18 18 M10.6 5.1A10.7 10.7 0 0 1 12 5c6.4 0 10 7 10 7a17 17 0 0 1-3.2 4.1 M6.6 6.6A17 17 0 0 0 2 12s3.6 7 10 7a9.7 9.7 0 0 0 5.4-1.6 M9.9 9.9a3 3 0 0 0 4.2 4.2',
  import: 'M12 3v12 M7 10l5 5 5-5 M4 17v3h16v-3',
  export: 'M12 15V3 M7 8l5-5 5 5 M4 17v3h16v-3',
  copy: 'M8 8h12v12H8z M4 16V4h12',
};

export function ToolIcon({ name, size = 18 }: { name: keyof typeof PATHS; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={PATHS[name]} />
    </svg>
  );
}
