/**
 * Annotation tools are small state machines (`idle → drawing → idle`, Escape cancels; STYLE §9).
 * The in-progress gesture lives in the tool object; the viewer's ROI layer feeds it pointer and
 * key events and draws what `sketch()` describes. A finished gesture becomes one RoiPatch.
 */
import type { MultiPolygon, Roi, RoiId, RoiRole } from '../../src/common/roi.js';
import type { ImagePoint, ImagePx, ScreenPoint, ScreenPx, ViewTransform } from '../viewer/coords.js';
import type { RoiPatch } from './roi-patch.js';

export const TOOL_IDS = ['select', 'polygon', 'freehand', 'rectangle', 'ellipse', 'brush', 'eraser'] as const;
export type ToolId = (typeof TOOL_IDS)[number];

/** Tools whose size is the brush diameter (`[` / `]`). */
export const isBrushTool = (t: ToolId): t is 'brush' | 'eraser' => t === 'brush' || t === 'eraser';

export interface ToolPointer {
  readonly screen: ScreenPoint;
  readonly image: ImagePoint;
  /** 0 primary, 1 middle, 2 secondary; -1 for a hover move. */
  readonly button: number;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  /** Event time in ms (double-click detection). */
  readonly timeMs: number;
}

export interface ImageSize {
  readonly widthPx: number;
  readonly heightPx: number;
}

/** What a tool may see and do; built by the ROI layer from the store at each event. */
export interface ToolContext {
  readonly view: ViewTransform;
  readonly rois: readonly Roi[];
  readonly selectedId: RoiId | null;
  /** Role of new regions (and of what the brush paints). */
  readonly role: RoiRole;
  /** Brush / eraser diameter on screen. */
  readonly brushDiameterPx: ScreenPx;
  readonly imageSize: ImageSize;
  /** Applies a finished gesture (one undo step) and selects `select` when given. */
  commit(patch: RoiPatch, select?: RoiId | null): void;
  select(id: RoiId | null): void;
}

/** What the layer draws for a gesture in progress. Image-space shapes are converted by the layer. */
export type ToolSketch =
  /** An open or closed outline (polygon being clicked, freehand lasso); `rubber`: the segment to the pointer. */
  | { readonly kind: 'outline'; readonly points: readonly ImagePoint[]; readonly closed: boolean; readonly role: RoiRole; readonly rubber?: ImagePoint; readonly closeHint?: boolean }
  /** A region's shape during the gesture; `replaces`: the region it will become (not drawn meanwhile). */
  | { readonly kind: 'geometry'; readonly geometry: MultiPolygon; readonly role: RoiRole; readonly colour?: string; readonly replaces?: RoiId }
  /** A brush or eraser stroke: discs of `radiusImagePx` along the points. */
  | { readonly kind: 'stroke'; readonly points: readonly ImagePoint[]; readonly radiusImagePx: ImagePx; readonly mode: 'paint' | 'erase'; readonly role: RoiRole }
  /** The brush size under the pointer. */
  | { readonly kind: 'ring'; readonly at: ScreenPoint; readonly diameterPx: ScreenPx; readonly mode: 'paint' | 'erase' };

export interface Tool {
  readonly id: ToolId;
  readonly state: 'idle' | 'drawing';
  /** A press; true when the tool takes it (the viewer must not pan). */
  down(p: ToolPointer, ctx: ToolContext): boolean;
  /** Pointer moves, pressed or hovering (`button` −1). */
  move(p: ToolPointer, ctx: ToolContext): void;
  up(p: ToolPointer, ctx: ToolContext): void;
  /** A double click; true when used. */
  doubleClick(p: ToolPointer, ctx: ToolContext): boolean;
  /** Enter, Escape, Backspace… during a gesture; true when used. */
  key(key: string, ctx: ToolContext): boolean;
  /** Drops the gesture in progress (back to idle, nothing committed). */
  cancel(): void;
  /** The pointer left the viewer. */
  leave(): void;
  sketch(ctx: ToolContext): readonly ToolSketch[];
  /** CSS cursor over the viewer at the last pointer position. */
  cursor(ctx: ToolContext): string;
}
