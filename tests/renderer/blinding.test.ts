import { describe, expect, it } from 'vitest';
import { namesOf, redactNames, selectShownFailedRows, selectShownMessage, selectShownRows } from '../../renderer/state/blinding.js';
import type { BatchRow } from '../../renderer/state/batch-slice.js';
import { selectBlindCodes } from '../../renderer/state/metadata-selectors.js';
import { createAppStore } from '../../renderer/state/store.js';
import { entry, fakeClient, row } from './helpers/fake-client.js';

const NAME_ERROR = '“ctrl_1.jpg”: No plate was found in this image. For a single well use the well reference.';

function blindedStore() {
  const store = createAppStore(fakeClient());
  const images = [entry('plates/ctrl_1.jpg'), entry('plates/hp_2.jpg'), entry('plates/mk7_3.jpg')];
  const [a, b, c] = images as [typeof images[0], typeof images[0], typeof images[0]];
  store.getState().setImages(images);
  const rows: BatchRow[] = [
    { imageId: a.id, result: row(a.displayName, { status: 'error', error: NAME_ERROR, errorCode: 'REFERENCE_EMPTY' as never, warnings: ['ctrl_1.jpg: w'] }), overlayPath: null },
    { imageId: b.id, result: row(b.displayName), overlayPath: null },
    { imageId: b.id, result: row(b.displayName, { well: 'A1' }), overlayPath: null, detail: true },
    { imageId: c.id, result: row(c.displayName), overlayPath: null },
  ];
  store.setState({ rows, blinded: true });
  return { store, images, codes: selectBlindCodes(store.getState()) };
}

describe('blinded mode outside the library', () => {
  it('redacts every way a message names an image, longest first', () => {
    const img = entry('plates/ctrl_1.jpg');
    expect(namesOf(img)).toEqual(['/data/plates/ctrl_1.jpg', 'plates/ctrl_1.jpg', 'ctrl_1.jpg']);
    expect(redactNames(`Cannot read /data/plates/ctrl_1.jpg (“ctrl_1.jpg”).`, namesOf(img), 'K7QX')).toBe('Cannot read K7QX (“K7QX”).');
    // Words that are not the file name stay (the word "well" in a message about well.jpg).
    expect(redactNames('“well.jpg”: use the well reference', ['well.jpg'], 'AB12')).toBe('“AB12”: use the well reference');
  });

  it('shows codes instead of names in the results, in code order, detail rows under their image', () => {
    const { store, images, codes } = blindedStore();
    const shown = selectShownRows(store.getState());
    const text = JSON.stringify(shown.map((r) => r.result));
    for (const n of ['ctrl', 'hp_2', 'mk7']) expect(text).not.toContain(n);
    const heads = shown.filter((r) => !r.detail).map((r) => r.result.image);
    expect(heads).toEqual([...heads].sort());
    expect(new Set(heads)).toEqual(new Set(images.map((i) => codes.get(i.id))));
    const b = shown.findIndex((r) => r.imageId === images[1]!.id);
    expect(shown[b + 1]).toMatchObject({ detail: true, imageId: images[1]!.id, result: { image: codes.get(images[1]!.id), well: 'A1' } });
    expect(shown.find((r) => r.imageId === images[0]!.id)!.result.error).toBe(`“${codes.get(images[0]!.id)}”: No plate was found in this image. For a single well use the well reference.`);
  });

  it('keeps names and order when not blinded, and blinds the problems list and library messages', () => {
    const { store, images, codes } = blindedStore();
    const failed = selectShownFailedRows(store.getState());
    expect(failed.map((r) => r.result.image)).toEqual([codes.get(images[0]!.id)]);
    expect(selectShownMessage(images[0]!.id, NAME_ERROR)(store.getState())).not.toContain('ctrl_1');
    store.setState({ blinded: false });
    expect(selectShownRows(store.getState()).map((r) => r.result.image)).toEqual(['plates/ctrl_1.jpg', 'plates/hp_2.jpg', 'plates/hp_2.jpg', 'plates/mk7_3.jpg']);
    expect(selectShownMessage(images[0]!.id, NAME_ERROR)(store.getState())).toBe(NAME_ERROR);
  });
});
