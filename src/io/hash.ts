/**
 * Content hashes of source images (project.json stores them to notice changed or moved files).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../common/errors.js';

/** SHA-256 of a file's bytes as 64 lower-case hex digits, streamed (constant memory). */
export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
    }
  } catch (e) {
    const name = basename(filePath);
    const code = (e as { code?: unknown } | null)?.code;
    const detail = e instanceof Error ? e.message : String(e);
    const userMessage =
      code === 'ENOENT'
        ? `“${name}” was not found. Check that the file still exists and was not moved or renamed.`
        : code === 'EACCES' || code === 'EPERM'
          ? `“${name}” cannot be read: permission denied. Ask the owner for read access, or copy the image to a folder of your own.`
          : code === 'EISDIR'
            ? `“${name}” is a folder, not an image file. Choose the image files inside it.`
            : `“${name}” could not be read (${typeof code === 'string' ? code : 'read error'}). Check the drive or network share and try again.`;
    throw new AppError(code === 'EISDIR' ? 'INPUT_INVALID' : 'IMAGE_UNREADABLE', userMessage, { detail, cause: e });
  }
  return hash.digest('hex');
}
