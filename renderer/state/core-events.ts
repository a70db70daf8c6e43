/**
 * Feeds the core's events into the store: batch progress and completion, library changes. While a
 * batch runs it also asks getBatch now and then, so a lost event never leaves the UI waiting.
 */
import type { BatchProgress } from '../../src/common/api.js';
import type { AppClient } from '../api/types.js';
import type { AppStore } from './store.js';

export function connectCoreEvents(client: AppClient, store: AppStore, o: { pollMs?: number; frameMs?: number } = {}): () => void {
  const s = () => store.getState();
  // Progress comes in bursts (a cancelled batch reports all its rows at once): one update per frame.
  let queue: BatchProgress[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const q = queue;
    queue = [];
    if (q.length) s().applyProgressMany(q);
  };
  const offs = [
    client.core.on('batch:progress', (e) => {
      queue.push(e);
      timer ??= setTimeout(flush, o.frameMs ?? 16);
    }),
    client.core.on('batch:done', (e) => {
      flush();
      s().applyDone(e);
    }),
    client.core.on('library:changed', (e) => s().setImages(e.images)),
    client.core.on('metadata:changed', (e) => s().applyMetadataEvent(e)),
  ];
  const poll = setInterval(() => {
    const b = s().batch;
    if (!b?.id || (b.state !== 'running' && b.state !== 'starting')) return;
    client.core.getBatch(b.id).then(
      (summary) => {
        if (summary.state !== 'running') s().applyDone(summary);
      },
      () => {},
    );
  }, o.pollMs ?? 3000);
  return () => {
    flush();
    clearInterval(poll);
    offs.forEach((off) => off());
  };
}
