// @vitest-environment jsdom
import { act, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { EdgeExclusionControl, type EdgeParams } from '../../renderer/features/plate/EdgeExclusionControl.js';
import { createAppStore } from '../../renderer/state/store.js';
import { fakeClient } from './helpers/fake-client.js';
import { mount } from './helpers/render.js';

let latest: EdgeParams = {};
function Harness() {
  const [p, setP] = useState<EdgeParams>({ edgeExclusionFrac: 0.25 });
  latest = p;
  return <EdgeExclusionControl params={p} calibrated onChange={setP} onDragChange={() => {}} />;
}

describe('well edge exclusion', () => {
  it('keeps the width of each unit when switching µm ↔ % of radius', async () => {
    const client = fakeClient();
    const m = await mount(<Harness />, client, createAppStore(client));
    const unit = (name: string) => [...m.container.querySelectorAll<HTMLButtonElement>('[role=radio]')].find((b) => b.textContent?.includes(name))!;
    await act(async () => unit('µm').click());
    expect(latest).toEqual({ edgeExclusionUm: 250 });
    await act(async () => unit('% radius').click());
    expect(latest).toEqual({ edgeExclusionFrac: 0.25 });
    await m.unmount();
  });
});
