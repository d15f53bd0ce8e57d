#!/usr/bin/env node
// The `bankswitch` binary: runs the TypeScript entry through tsx (no build step, as
// everywhere in this workspace).
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/main.ts', import.meta.url).href);
