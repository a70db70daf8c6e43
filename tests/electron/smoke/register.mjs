// node --import ./tests/electron/smoke/register.mjs dist-electron/main.js — resolves `electron` to the stub.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
