import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runInProcess } from '../helpers/cli.js';

/** Completes `words` (the last one being typed) with the real bash and the generated script. */
function complete(script: string, words: string[], env: Record<string, string> = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ljit-completion-'));
  writeFileSync(join(dir, 'ljit.bash'), script);
  // The script asks `ljit __profiles` for profile names: put the built CLI on PATH as `ljit`.
  writeFileSync(join(dir, 'ljit'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(dir, 'ljit'), 0o755);
  const words_ = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['-c', `source ${dir}/ljit.bash; COMP_WORDS=(${words_}); COMP_CWORD=${words.length - 1}; _ljit_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    env: { PATH: `${dir}:${process.env.PATH ?? ''}`, ...env },
    encoding: 'utf8',
  });
  return out.split('\n').filter((l) => l !== '');
}

describe('ljit completion', () => {
  it('bash completes commands, subcommands, flags and enumerated values', async () => {
    const script = (await runInProcess(['completion', 'bash'])).stdout;
    expect(complete(script, ['ljit', 'vi'])).toEqual(['visits']);
    expect(complete(script, ['ljit', 'visits', 'l'])).toEqual(['list']);
    expect(complete(script, ['ljit', 'visits', 'list', '--clo'])).toEqual(['--closed']);
    expect(complete(script, ['ljit', 'visits', 'list', '-o', ''])).toEqual(['table', 'json', 'ndjson', 'csv']);
    expect(complete(script, ['ljit', 'visits', 'list', '--closed', ''])).toEqual(['0', '1']);
    expect(complete(script, ['ljit', 'visits', 'list', '--date', 't'])).toEqual(['today', 'tomorrow']);
    expect(complete(script, ['ljit', 'auth', 'status', '-o', ''])).toEqual(['table', 'json']);
  });

  it('bash completes profile names from the config', async () => {
    const dirs = { LJIT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'ljit-cfg-')) };
    writeFileSync(join(dirs.LJIT_CONFIG_DIR, 'config.json'), JSON.stringify({ profiles: { default: {}, staging: {}, prod: {} } }), { mode: 0o600 });
    const script = (await runInProcess(['completion', 'bash'])).stdout;
    expect(complete(script, ['ljit', '--profile', 's'], dirs)).toEqual(['staging']);
  });

  it('prints zsh and fish scripts built from the same tree', async () => {
    const zsh = (await runInProcess(['completion', 'zsh'])).stdout;
    expect(zsh).toContain('#compdef ljit');
    expect(zsh).toContain('bashcompinit');
    const fish = (await runInProcess(['completion', 'fish'])).stdout;
    expect(fish).toContain("complete -c ljit -n '__fish_seen_subcommand_from visits' -a 'list'");
    expect(fish).toContain("complete -c ljit -n '__fish_seen_subcommand_from list' -l output -x -a 'table json ndjson csv'");
  });

  it('refuses an unknown shell with exit 2', async () => {
    expect((await runInProcess(['completion', 'tcsh'])).code).toBe(2);
  });
});
