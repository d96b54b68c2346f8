import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI_MAIN } from './paths.js';
import { nodeBinary } from './processes.js';

const run = promisify(execFile);

/** The compiled CLI's help text for a command (or the top level). */
export async function cliHelp(args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(nodeBinary(), [CLI_MAIN, ...args, '--help'], { timeout: 30_000 });
    return `${stdout}\n${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}\n${e.stderr ?? ''}`;
  }
}

/** The commands the compiled CLI has today (scenarios that need one it lacks say so). */
export async function cliCommands(): Promise<Set<string>> {
  const help = await cliHelp([]);
  const commands = new Set<string>();
  let inCommands = false;
  for (const line of help.split('\n')) {
    if (/^Commands:/.test(line)) inCommands = true;
    else if (inCommands && /^\S/.test(line)) inCommands = false;
    else if (inCommands) {
      // Commands sit at two spaces; wrapped descriptions are indented further.
      const m = /^ {2}([a-z][\w-]*)(?:\s|$)/.exec(line);
      if (m) commands.add(m[1]!);
    }
  }
  return commands;
}

