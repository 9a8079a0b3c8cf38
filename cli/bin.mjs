#!/usr/bin/env node
// `tock` when the package is installed (package.json "bin"): runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./tock.ts');
