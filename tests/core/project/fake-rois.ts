/**
 * Fake regions for the project tests and the crash writer (no imports: the child process loads this).
 * They have the shape of `Roi` (src/common/roi.ts); the sequence number of an edit is in the label.
 */
import type { Roi } from '../../../src/common/roi.js';

/** An include polygon (an ellipse with `vertices` corners, closed ring) labelled `seq <seq>`. */
export function fakeRoi(seq: number, vertices = 8, id = `roi-${seq}`): Roi {
  const ring: [number, number][] = [];
  for (let i = 0; i < vertices; i++) {
    const a = (2 * Math.PI * i) / vertices;
    ring.push([500 + 200 * Math.cos(a), 400 + 150 * Math.sin(a)]);
  }
  ring.push(ring[0]!);
  return { id, role: 'include', tool: 'polygon', label: `seq ${seq}`, geometry: [[ring]] } as unknown as Roi;
}

/** One gesture's result in the crash test: the full region list, every region tagged with `seq`. */
export function gesture(seq: number): Roi[] {
  return Array.from({ length: 12 }, (_, k) => fakeRoi(seq, 150 + k, `roi-${k}`));
}

/** The sequence number of a saved region list (0 when empty). */
export function seqOf(rois: readonly unknown[]): number {
  return rois.reduce<number>((m, r) => Math.max(m, Number(/^seq (\d+)$/.exec(String((r as { label?: unknown }).label))?.[1] ?? 0)), 0);
}
