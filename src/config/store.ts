import { chmodSync, mkdirSync, statSync } from 'node:fs';
import type { KeyPlacement } from '../api/client.js';

export interface Profile {
  apiUrl?: string;
  apiKey?: string;
  keyPlacement?: KeyPlacement;
}

export interface ConfigData {
  profiles: Record<string, Profile>;
}

/** Profiles on disk. An interface so tests and commands do not depend on `conf` directly. */
export interface ConfigStore {
  readonly path: string;
  getProfile(name: string): Profile | undefined;
  setProfile(name: string, profile: Profile): void;
  deleteProfile(name: string): boolean;
  profileNames(): string[];
}

/**
 * The config file (profiles with their keys) under `dir`, written with mode 0600 in a 0700 directory.
 * conf writes atomically (temp file + rename), so the mode holds after every write. A file found readable
 * by others is tightened and reported.
 */
export async function openConfigStore(dir: string, warn: (line: string) => void): Promise<ConfigStore> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { default: Conf } = await import('conf');
  const conf = new Conf<ConfigData>({
    projectName: 'ljit',
    projectSuffix: '',
    cwd: dir,
    configName: 'config',
    configFileMode: 0o600,
    defaults: { profiles: {} },
  });
  try {
    const mode = statSync(conf.path).mode & 0o777;
    if (mode & 0o077) {
      chmodSync(conf.path, 0o600);
      warn(`${conf.path} was readable by other users (mode ${mode.toString(8)}); it is now 0600.`);
    }
  } catch {
    // Not written yet: conf creates it with 0600 on the first write.
  }
  const profiles = () => conf.get('profiles');
  return {
    path: conf.path,
    getProfile: (name) => profiles()[name],
    setProfile: (name, profile) => {
      conf.set('profiles', { ...profiles(), [name]: profile });
    },
    deleteProfile: (name) => {
      const all = { ...profiles() };
      if (!(name in all)) return false;
      delete all[name];
      conf.set('profiles', all);
      return true;
    },
    profileNames: () => Object.keys(profiles()).sort(),
  };
}
