import { describe, expect, it } from 'vitest';
import { countComponents, extractRuns, labelRuns, removeSmallComponents } from '../../../src/pipeline/components.js';
import { maskRowSpans, padRowSpans } from '../../../src/pipeline/raster.js';
import { count, discMask, maskFromRows } from '../helpers/rasters.js';

describe('connected components (run-length union–find)', () => {
  it('counts 8-connected blobs, joining diagonal neighbours', () => {
    const m = maskFromRows(['#..#', '.#..', '....', '##.#']);
    expect(countComponents(m)).toBe(4);
    const st = labelRuns(extractRuns(m), 4);
    expect(st.count).toBe(5);
  });

  it('reports area, centroid and bounding box of a disc', () => {
    const m = discMask(200, 150, 90.5, 70.5, 30);
    const st = labelRuns(extractRuns(m));
    expect(st.count).toBe(1);
    expect(st.areaPx[0]).toBe(count(m));
    expect(st.sumX[0]! / st.areaPx[0]!).toBeCloseTo(90, 5);
    expect(st.sumY[0]! / st.areaPx[0]!).toBeCloseTo(70, 5);
    expect([st.minX[0], st.maxX[0], st.minY[0], st.maxY[0]]).toEqual([61, 119, 41, 99]);
  });

  it('handles a U shape whose arms merge late (union of already labelled runs)', () => {
    const m = maskFromRows(['#.#.#', '#.#.#', '#.#.#', '#####']);
    expect(countComponents(m)).toBe(1);
  });

  it('removes components smaller than the minimum area and keeps the rest intact', () => {
    const m = maskFromRows(['##....#', '##.....', '.....##', '.....##']);
    const r = removeSmallComponents(m, 4);
    expect(r.count).toBe(2);
    expect(count(r.mask)).toBe(8);
    expect(count(m)).toBe(9); // input untouched
  });

  it('removes them in the given mask when asked (same pixels and counts as a new mask)', () => {
    const rows = ['##....#', '##.....', '.....##', '#....##'];
    const copy = removeSmallComponents(maskFromRows(rows), 4);
    const m = maskFromRows(rows);
    const r = removeSmallComponents(m, 4, true);
    expect(r.mask).toBe(m);
    expect([...m.data]).toEqual([...copy.mask.data]);
    expect({ count: r.count, areaPx: r.areaPx, removedRuns: r.removedRuns }).toEqual({ count: copy.count, areaPx: copy.areaPx, removedRuns: copy.removedRuns });
    expect(r.removedRuns).toEqual([{ y: 0, x0: 6, x1: 7 }, { y: 3, x0: 0, x1: 1 }]);
  });

  it('pads row spans as maskRowSpans does, clipped to the image, empty rows left empty', () => {
    const m = maskFromRows(['...#....', '........', '#.......', '......##']);
    for (const pad of [0, 2, 9]) expect([...padRowSpans(maskRowSpans(m), pad, m.width)], `pad ${pad}`).toEqual([...maskRowSpans(m, pad)]);
  });

  it('labels an empty mask as zero components', () => {
    expect(countComponents(maskFromRows(['....', '....']))).toBe(0);
  });
});
