/** The stain panel offers the core's stain models and starts the vector editor from the core's vectors. */
import { describe, expect, it } from 'vitest';
import { StainSection } from '../../renderer/features/recipe/StainSection.js';
import { createAppStore } from '../../renderer/state/store.js';
import { STAIN_MODELS } from '../../src/pipeline/stains.js';
import { fakeClient } from './helpers/fake-client.js';
import { click, mount } from './helpers/render.js';

describe('StainSection', () => {
  it('lists the models of AppInfo; editing vectors starts from the core’s vectors of the chosen model', async () => {
    const client = fakeClient();
    const store = createAppStore(client);
    await store.getState().loadAppInfo();
    store.getState().choosePreset('vonkossa');
    const m = await mount(<StainSection />, client, store);
    const options = [...m.container.querySelectorAll('#stain-model option')].map((o) => o.textContent);
    expect(options).toEqual([...Object.values(STAIN_MODELS).map((s) => s.label), 'Custom vectors']);
    await click(m.container.querySelector<HTMLInputElement>('label.check input')!);
    const stain = store.getState().recipeDoc!.steps.find((s) => s.op === 'stain.separate')!.params as { mineralRgb: number[]; counterstainRgb: number[] };
    const vk = STAIN_MODELS['von-kossa/1']!;
    stain.mineralRgb.forEach((v, i) => expect(v).toBeCloseTo(vk.mineral[i]!, 3));
    stain.counterstainRgb.forEach((v, i) => expect(v).toBeCloseTo(vk.counterstain[i]!, 3));
    expect([...m.container.querySelectorAll('.vector-label')].map((e) => e.textContent)).toEqual([vk.mineralName, vk.counterstainName]);
    await m.unmount();
  });
});
