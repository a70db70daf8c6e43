import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { ErrorBoundary } from '../../renderer/features/app/ErrorBoundary.js';
import { PathPickerHost } from '../../renderer/features/files/PathPickerHost.js';
import { LibraryPanel } from '../../renderer/features/library/LibraryPanel.js';
import { ResultsTable } from '../../renderer/features/results/ResultsTable.js';
import { ResultSummary } from '../../renderer/features/recipe/ResultSummary.js';
import { createAppStore } from '../../renderer/state/store.js';
import { entry, fakeClient, fakeCore, row } from './helpers/fake-client.js';
import { click, key, mount, settle } from './helpers/render.js';

let explode = true;
function Bomb() {
  if (explode) throw Object.assign(new Error('boom'), { userMessage: 'The viewer could not draw this image.' });
  return <p>fine again</p>;
}

Element.prototype.scrollIntoView ??= function () {};

describe('components', () => {
  it('ErrorBoundary shows the message and a way back, never a blank screen', async () => {
    const store = createAppStore(fakeClient());
    const err = console.error;
    console.error = () => {};
    const m = await mount(<ErrorBoundary area="the viewer"><Bomb /></ErrorBoundary>, fakeClient(), store);
    console.error = err;
    expect(m.container.textContent).toContain('Something went wrong in the viewer');
    expect(m.container.textContent).toContain('The viewer could not draw this image.');
    explode = false;
    await click([...m.container.querySelectorAll('button')].find((b) => b.textContent === 'Back to the app')!);
    expect(m.container.textContent).toBe('fine again');
    await m.unmount();
  });

  it('library: thumbnails via resourceUrl, badges, Ctrl/Shift-click selection', async () => {
    const images = [entry('d/a.jpg', { sizeBytes: 2_400_000 }), entry('d/b.jpg'), entry('d/c.jpg', { error: { code: 'IMAGE_UNREADABLE', userMessage: '“c.jpg” could not be opened.' }, widthPx: null, heightPx: null })];
    const client = fakeClient(fakeCore());
    const store = createAppStore(client);
    store.getState().setImages(images);
    store.setState({ latestByImage: { [images[0]!.id]: { imageId: images[0]!.id, result: row('d/a.jpg', { mineralPct: 12.3456 }), overlayPath: null } } });
    const m = await mount(<LibraryPanel />, client, store);
    const items = [...m.container.querySelectorAll('.lib-item')];
    expect(items.map((i) => i.querySelector('.lib-name')!.textContent)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    expect(items[0]!.querySelector('img')!.getAttribute('src')).toBe(`/res/thumb/${images[0]!.id}.jpg?token=t`);
    expect(items[0]!.querySelector('.lib-sub')!.textContent).toContain('2.3 MB');
    expect(items.map((i) => i.querySelector('[data-status]')!.textContent)).toEqual(['12.35 %', 'not run', 'error']);
    expect(items[2]!.textContent).toContain('“c.jpg” could not be opened.');
    await click(items[0]!);
    await click(items[2]!, { shiftKey: true });
    expect(store.getState().selectedIds).toHaveLength(3);
    await click(items[1]!, { ctrlKey: true });
    expect(store.getState().selectedIds).toEqual([images[0]!.id, images[2]!.id]);
    expect(m.container.querySelector('.panel-foot')!.textContent).toContain('2 of 3 selected');
    await m.unmount();
  });

  it('results table: CLI columns, full values in data attributes, sort and click to show', async () => {
    const images = [entry('a.jpg'), entry('b.jpg')];
    const store = createAppStore(fakeClient());
    store.getState().setImages(images);
    store.setState({
      rows: [
        { imageId: images[0]!.id, result: row('a.jpg', { mineralPct: 12.345678 }), overlayPath: null },
        { imageId: images[1]!.id, result: row('b.jpg', { status: 'error', errorCode: 'IMAGE_UNREADABLE', error: '“b.jpg” could not be opened.', mineralPct: null }), overlayPath: null },
      ],
    });
    const m = await mount(<ResultsTable />, fakeClient(), store);
    const heads = [...m.container.querySelectorAll('th')].map((th) => th.getAttribute('title'));
    expect(heads).toHaveLength(23); // 25 CSV columns; region and well only with per-region rows
    const pct = m.container.querySelector('tr[data-image="a.jpg"] td[data-col=mineral_pct]')!;
    expect(pct.textContent).toBe('12.35');
    expect(pct.getAttribute('data-value')).toBe('12.345678');
    expect(m.container.querySelector('tr[data-image="b.jpg"] td[data-col=error]')!.textContent).toBe('“b.jpg” could not be opened.');
    await click(m.container.querySelector('th[title=mineral_pct] button'));
    await click(m.container.querySelector('th[title=mineral_pct] button'));
    expect([...m.container.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-image'))).toEqual(['b.jpg', 'a.jpg']);
    await click(m.container.querySelector('tr[data-image="b.jpg"]'));
    expect(store.getState().currentId).toBe(images[1]!.id);
    await m.unmount();
  });

  it('result card: the percentage large, areas, deposits, and the preview time', async () => {
    const images = [entry('a.jpg')];
    const store = createAppStore(fakeClient());
    store.getState().setImages(images);
    store.getState().setCurrent(images[0]!.id);
    store.getState().setPreview({ imageId: images[0]!.id, quality: 'full', result: row('a.jpg', { mineralPct: 7.5, referenceAreaUm2: 2_000_000, depositCount: 42 }), overlayPath: '/res/overlay/x.png', regionRows: [row('a.jpg', { well: 'A1', mineralPct: 3.25 }), row('a.jpg', { well: 'A2', mineralPct: 11 })], overlayWidthPx: 1, overlayHeightPx: 1, elapsedMs: 123.4 });
    const m = await mount(<ResultSummary />, fakeClient(), store);
    expect(m.container.querySelector('[data-testid=preview-pct]')!.textContent).toBe('7.50%');
    expect(m.container.textContent).toContain('of the tissue area');
    expect(m.container.textContent).toContain('2.00 mm²');
    expect(m.container.querySelector('[data-testid=preview-deposits]')!.textContent).toBe('42');
    expect(m.container.querySelector('[data-testid=preview-quality]')!.textContent).toBe('full resolution · 123 ms');
    expect(m.container.querySelector('[data-testid=region-rows]')!.textContent).toBe('2 wellsmineral %A13.25A211.00');
    await m.unmount();
  });

  it('file browser: keyboard only — open a folder, select two images, confirm', async () => {
    const core = fakeCore();
    core.listDirectory.mockImplementation(async (p: string) =>
      p === '/data/run1'
        ? { path: '/data/run1', parent: '/data', entries: [
            { name: 'x1.tif', path: '/data/run1/x1.tif', kind: 'image', sizeBytes: 10 },
            { name: 'x2.tif', path: '/data/run1/x2.tif', kind: 'image', sizeBytes: 10 },
            { name: 'readme.txt', path: '/data/run1/readme.txt', kind: 'other', sizeBytes: 1 },
          ] }
        : { path: '/data', parent: '/', entries: [{ name: 'run1', path: '/data/run1', kind: 'dir', sizeBytes: null }] },
    );
    const client = fakeClient(core);
    const store = createAppStore(client);
    const m = await mount(<PathPickerHost />, client, store);
    // the web client delegates pickPaths to this registered in-app browser
    expect(client.picker).not.toBeNull();
    let picked: Promise<string[] | null>;
    await act(async () => {
      picked = client.picker!({ kind: 'files', title: 'Open images' });
    });
    await settle();
    const list = () => document.querySelector('.fb-list')!;
    expect(list().textContent).toContain('run1');
    await key(list(), 'Enter');
    await settle();
    expect([...list().querySelectorAll('li')].map((li) => li.getAttribute('data-name'))).toEqual(['x1.tif', 'x2.tif']);
    await key(list(), ' ');
    await key(list(), 'ArrowDown');
    await key(list(), ' ');
    const confirm = document.querySelector('[data-testid=fb-confirm]')!;
    expect(confirm.textContent).toBe('Open 2 selected');
    await click(confirm);
    await expect(picked!).resolves.toEqual(['/data/run1/x1.tif', '/data/run1/x2.tif']);
    expect(document.querySelector('.file-browser')).toBeNull();
    await m.unmount();
  });

  it('file browser: Escape cancels', async () => {
    const client = fakeClient(fakeCore());
    const m = await mount(<PathPickerHost />, client, createAppStore(client));
    let picked!: Promise<string[] | null>;
    await act(async () => {
      picked = client.picker!({ kind: 'folder' });
    });
    await settle();
    await key(document.querySelector('.fb-list'), 'Escape');
    await expect(picked).resolves.toBeNull();
    await m.unmount();
  });
});
