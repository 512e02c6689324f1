import packageJson from '../package.json' with { type: 'json' };

/** The version `everynode --version` prints: the package's. */
export const EVERYNODE_VERSION: string = packageJson.version;
