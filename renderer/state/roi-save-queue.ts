/**
 * Saving regions through `saveRois`, one image at a time and in order: while a save of an image is
 * in flight, later changes wait and only the newest list is sent next (the core autosaves it into
 * the project). Until the core confirms, the newest list is kept here, so switching back to the
 * image shows it instead of an older answer of loadRois.
 */
import type { ImageId } from '../../src/common/api.js';
import type { Roi } from '../../src/common/roi.js';

export interface RoiSaveQueueOptions {
  readonly save: (id: ImageId, rois: readonly Roi[]) => Promise<void>;
  /** A save of `id` succeeded and nothing newer is waiting for it. */
  readonly onSaved: (id: ImageId) => void;
  readonly onError: (id: ImageId, e: unknown) => void;
  /** Something is waiting or in flight (true) or everything is confirmed (false). */
  readonly onBusyChange: (busy: boolean) => void;
}

export interface RoiSaveQueue {
  save(id: ImageId, rois: readonly Roi[]): void;
  /** The newest list not yet confirmed by the core, or null. */
  unsaved(id: ImageId): readonly Roi[] | null;
  /** Resolves when every change of `id` (all images when absent) reached the core (or failed). */
  flush(id?: ImageId): Promise<void>;
  /** Forgets what was not sent yet (the workspace changed). */
  clear(): void;
}

export function createRoiSaveQueue(o: RoiSaveQueueOptions): RoiSaveQueue {
  const waiting = new Map<ImageId, readonly Roi[]>();
  const newest = new Map<ImageId, readonly Roi[]>();
  const running = new Map<ImageId, Promise<void>>();
  let busy = false;
  const report = () => {
    const now = waiting.size > 0 || running.size > 0;
    if (now !== busy) o.onBusyChange((busy = now));
  };

  function pump(id: ImageId): void {
    if (running.has(id)) return;
    const rois = waiting.get(id);
    if (!rois) return;
    waiting.delete(id);
    const job = o.save(id, rois).then(
      () => {
        running.delete(id);
        if (newest.get(id) === rois) newest.delete(id);
        if (waiting.has(id)) pump(id);
        else o.onSaved(id);
        report();
      },
      (e: unknown) => {
        running.delete(id);
        // Keep the newest list locally; the next change retries with it.
        o.onError(id, e);
        if (waiting.has(id)) pump(id);
        report();
      },
    );
    running.set(id, job);
    report();
  }

  return {
    save(id, rois) {
      waiting.set(id, rois);
      newest.set(id, rois);
      pump(id);
      report();
    },
    unsaved: (id) => newest.get(id) ?? null,
    async flush(id) {
      for (;;) {
        const jobs = id ? [running.get(id)].filter((j): j is Promise<void> => !!j) : [...running.values()];
        if (!jobs.length) return;
        await Promise.all(jobs);
      }
    },
    clear() {
      waiting.clear();
      newest.clear();
      report();
    },
  };
}
