/** Replaced with package.json's version by the bundler; read from it when running from source. */
declare const __KEYFENCE_VERSION__: string | undefined;

export const VERSION: string =
  typeof __KEYFENCE_VERSION__ === 'string' ? __KEYFENCE_VERSION__ : (process.env.npm_package_version ?? '0.0.0-dev');
