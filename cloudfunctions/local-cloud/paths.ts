// Default locations, relative to the repository root.
import * as path from 'path';

/** The repository root (the local cloud bundle lives in cloudfunctions/local-cloud/dist/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Defaults for the CLI; each can be overridden by a flag. */
export const DEFAULTS = {
  functionsDir: path.join(ROOT, 'cloudfunctions', 'dist'),
  dataDir: path.join(ROOT, '.data', 'local-cloud'),
  indexesFile: path.join(ROOT, 'cloudfunctions', 'indexes.json'),
  staticDir: path.join(ROOT, 'client', 'dist-h5'),
};

/** Reads `--name value` flags. */
export function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
