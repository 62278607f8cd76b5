// The worker the page's pool starts: the package's browser worker entry, bundled on its own.
import '../../src/parallel/worker.js';
