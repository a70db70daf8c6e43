/**
 * Child process of crash.test.ts: opens the project, then saves region edits through the autosaver in
 * a tight loop until it is killed. Each edit carries a sequence number; after a write is durable it
 * prints `saved <seq>`. Run: node --import tsx crash-writer.ts <projectDir> <imageId> (the test runs an
 * esbuild bundle of it, which starts faster)
 */
import type { ImageId } from '../../../src/common/api.js';
import { createAutosaver } from '../../../src/project/autosave.js';
import { openProject } from '../../../src/project/store.js';
import { gesture, seqOf } from './fake-rois.js';

const [dir, imageId] = process.argv.slice(2) as [string, ImageId];
const out = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const store = await openProject(dir, { verify: 'size' });
  let seq = seqOf((await store.loadRois(imageId)).value);
  const seqOfTicket = new Map<number, number>();
  const saver = createAutosaver(store, {
    debounceMs: 1,
    maxDelayMs: 4,
    onError: (e) => process.stderr.write(`autosave error: ${e.message}\n`),
    onSaved: (key, ticket) => {
      const s = seqOfTicket.get(ticket);
      if (key.startsWith('rois:') && s !== undefined) out(`saved ${s}`);
    },
  });
  out(`ready ${seq}`);
  for (;;) {
    seq++;
    seqOfTicket.set(saver.saveRois(imageId, gesture(seq)), seq);
    if (seq % 25 === 0) await store.updateSettings({ lastSeq: seq });
    await new Promise((r) => setTimeout(r, Math.random() < 0.5 ? 0 : 2));
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`crash-writer failed: ${String(e)}\n`);
  process.exit(2);
});
