import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addRecentProject, DEFAULT_WINDOW_STATE, loadRecentProjects, loadWindowState, MAX_RECENT_PROJECTS,
  RECENT_PROJECTS_FILE, saveWindowState, WINDOW_STATE_FILE,
} from '../../electron/main/app-state.js';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cq-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('window bounds', () => {
  it('defaults when there is no file', async () => {
    expect(await loadWindowState(dir, screen)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it.each([
    ['not JSON', '{"width": 12'],
    ['wrong types', '{"width": "wide", "height": 800}'],
    ['too small', '{"width": 10, "height": 10}'],
    ['absurd', '{"width": 1e9, "height": 800}'],
    ['an array', '[1280, 800]'],
    ['empty', ''],
  ])('gives the defaults for a corrupt file (%s)', async (_why, text) => {
    writeFileSync(path.join(dir, WINDOW_STATE_FILE), text);
    expect(await loadWindowState(dir, screen)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('round-trips, atomically (no temp file left)', async () => {
    const s = { x: 100, y: 50, width: 1400, height: 900, maximized: true };
    await saveWindowState(dir, s);
    expect(await loadWindowState(dir, screen)).toEqual(s);
    expect(readdirSync(dir)).toEqual([WINDOW_STATE_FILE]);
  });

  it('drops a position that is off every display (window gets centred)', async () => {
    await saveWindowState(dir, { x: 5000, y: 5000, width: 1000, height: 700, maximized: false });
    expect(await loadWindowState(dir, screen)).toEqual({ width: 1000, height: 700, maximized: false });
  });
});

describe('recent projects', () => {
  it('keeps the most recent first, without duplicates, at most MAX_RECENT_PROJECTS', async () => {
    for (let i = 0; i < MAX_RECENT_PROJECTS + 3; i++) await addRecentProject(dir, `/studies/s${i}.mineral`);
    await addRecentProject(dir, '/studies/s5.mineral');
    const list = await loadRecentProjects(dir);
    expect(list).toHaveLength(MAX_RECENT_PROJECTS);
    expect(list[0]).toBe(path.resolve('/studies/s5.mineral'));
    expect(new Set(list).size).toBe(list.length);
  });

  it('is empty for a corrupt file, which the next add replaces', async () => {
    writeFileSync(path.join(dir, RECENT_PROJECTS_FILE), '{"projects": [1, 2]}');
    expect(await loadRecentProjects(dir)).toEqual([]);
    await addRecentProject(dir, '/a.mineral');
    expect(JSON.parse(readFileSync(path.join(dir, RECENT_PROJECTS_FILE), 'utf8'))).toEqual({ projects: [path.resolve('/a.mineral')] });
  });
});
