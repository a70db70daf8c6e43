/**
 * Small JSON files in `app.getPath('userData')`: the main window's bounds and the recent projects
 * list. Written atomically (temp → rename); validated on read — a missing, corrupt or out-of-range
 * file gives the defaults, never an error.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../src/io/atomic-write.js';

export const WINDOW_STATE_FILE = 'window-state.json';
export const RECENT_PROJECTS_FILE = 'recent-projects.json';
export const MAX_RECENT_PROJECTS = 10;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
export interface WindowState {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const;

const coord = z.number().int().min(-100_000).max(100_000);
const windowStateSchema = z.object({
  x: coord.optional(),
  y: coord.optional(),
  width: z.number().int().min(MIN_WINDOW_SIZE.width).max(20_000),
  height: z.number().int().min(MIN_WINDOW_SIZE.height).max(20_000),
  maximized: z.boolean().default(false),
});
const recentSchema = z.object({
  projects: z.array(z.string().min(1).max(4096)).max(100),
});

/** Parsed JSON of a file, or undefined when it is missing, too big or not JSON. */
async function readJson(file: string): Promise<unknown> {
  try {
    const text = await readFile(file, 'utf8');
    return text.length > 1_000_000 ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

const writeJson = (file: string, data: unknown): Promise<void> =>
  writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n');

/** Whether at least 64×64 px of `r` lies on one of the displays. */
function isVisible(r: Rect, workAreas: readonly Rect[]): boolean {
  return workAreas.some((a) => {
    const w = Math.min(r.x + r.width, a.x + a.width) - Math.max(r.x, a.x);
    const h = Math.min(r.y + r.height, a.y + a.height) - Math.max(r.y, a.y);
    return w >= 64 && h >= 64;
  });
}

/** The remembered window state; position dropped (window centred) when it is off every display. */
export async function loadWindowState(dir: string, workAreas: readonly Rect[]): Promise<WindowState> {
  const parsed = windowStateSchema.safeParse(await readJson(path.join(dir, WINDOW_STATE_FILE)));
  if (!parsed.success) return DEFAULT_WINDOW_STATE;
  const { x, y, width, height, maximized } = parsed.data;
  if (x === undefined || y === undefined || !isVisible({ x, y, width, height }, workAreas)) {
    return { width, height, maximized };
  }
  return { x, y, width, height, maximized };
}

export async function saveWindowState(dir: string, state: WindowState): Promise<void> {
  const parsed = windowStateSchema.safeParse(state);
  if (parsed.success) await writeJson(path.join(dir, WINDOW_STATE_FILE), parsed.data);
}

/** Most recent first; [] when the file is missing or corrupt. */
export async function loadRecentProjects(dir: string): Promise<string[]> {
  const parsed = recentSchema.safeParse(await readJson(path.join(dir, RECENT_PROJECTS_FILE)));
  return parsed.success ? parsed.data.projects.slice(0, MAX_RECENT_PROJECTS) : [];
}

/** Puts `projectDir` first (no duplicates, at most MAX_RECENT_PROJECTS) and saves the list. */
export async function addRecentProject(dir: string, projectDir: string): Promise<string[]> {
  const abs = path.resolve(projectDir);
  const projects = [abs, ...(await loadRecentProjects(dir)).filter((p) => p !== abs)].slice(0, MAX_RECENT_PROJECTS);
  await writeJson(path.join(dir, RECENT_PROJECTS_FILE), { projects });
  return projects;
}
