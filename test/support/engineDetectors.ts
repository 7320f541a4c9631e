import { loadProdDataDetectors } from '../../src/engine/engine.js';

/**
 * The engine loads its production-data detectors on demand (Engine.prepare), which every door
 * awaits before it scans. Unit tests build engines and call `scan` directly on JSON, YAML and CSV
 * fragments, so each test file starts with them loaded. The doors' own awaiting is tested through
 * the built CLI (test/engine/prodData, test/hook), which runs without this.
 */
await loadProdDataDetectors();
