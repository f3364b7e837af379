/**
 * `z6` — the command-line face of the engine. Each command lives in commands/ and returns its
 * exit code (decisions §3: 0 ok, 1 assertion failed — for `diff`, a regression —, 2 invalid
 * scenario, input or usage, 3 run error, 130 interrupted).
 */
import { validateCommand } from './commands/validate';
import { RUN_OPTIONS, RUN_USAGE, runCommand } from './commands/run';
import { PLAN_OPTIONS, PLAN_USAGE, planCommand } from './commands/plan';
import { DEMO_SERVER_USAGE, demoServerCommand } from './commands/demo-server';
import { MERGE_DETAILS, MERGE_USAGE, mergeCommand } from './commands/merge';
import { K8S_OPTIONS, K8S_USAGE, k8sCommand } from './commands/k8s';
import { DEMO_DETAILS, DEMO_USAGE, demoCommand } from './commands/demo';
import { DIFF_DETAILS, DIFF_USAGE, diffCommand } from './commands/diff';
import { REPORT_DETAILS, REPORT_USAGE, reportCommand } from './commands/report';
import { REPLAY_OPTIONS, REPLAY_USAGE, replayCommand } from './commands/replay';

export type Command = (args: string[]) => Promise<number>;

interface CommandEntry {
  run: Command;
  usage: string;
  summary: string;
  /** Shown by `z6 COMMAND --help`, after the summary (e.g. one line per option). */
  details?: string;
}

const COMMANDS: Record<string, CommandEntry> = {
  validate: { run: validateCommand, usage: 'z6 validate FILE... [--json]', summary: 'Check scenarios and print diagnostics.' },
  run: { run: runCommand, usage: RUN_USAGE, summary: 'Run a scenario: progress, summary, results files.', details: RUN_OPTIONS },
  plan: { run: planCommand, usage: PLAN_USAGE, summary: 'Preview a run without traffic: load over time, request mix, plan hash.', details: PLAN_OPTIONS },
  report: { run: reportCommand, usage: REPORT_USAGE, summary: 'Summary and report files of a finished run, from its results JSON.', details: REPORT_DETAILS },
  diff: { run: diffCommand, usage: DIFF_USAGE, summary: 'Compare two runs: each change improved or regressed; exit 1 on a regression.', details: DIFF_DETAILS },
  merge: { run: mergeCommand, usage: MERGE_USAGE, summary: "Merge the results of a run's segments into the whole run, judged by its assertions.", details: MERGE_DETAILS },
  k8s: { run: k8sCommand, usage: K8S_USAGE, summary: 'Kubernetes manifests that run a scenario over N pods and merge the results.', details: K8S_OPTIONS },
  replay: { run: replayCommand, usage: REPLAY_USAGE, summary: 'Check a run\'s event log against its scenario, seed and results.', details: REPLAY_OPTIONS },
  demo: { run: demoCommand, usage: DEMO_USAGE, summary: 'Run the demo scenario against the embedded demo target; report in z6-results/.', details: DEMO_DETAILS },
  'demo-server': { run: demoServerCommand, usage: DEMO_SERVER_USAGE, summary: 'Start the embedded demo target on 127.0.0.1.' },
};

export const VERSION = '0.1.0';

function help(): string {
  const lines = ['Z6 — deterministic, declarative load testing', '', 'Usage:'];
  for (const c of Object.values(COMMANDS)) lines.push(`  ${c.usage.padEnd(48)} ${c.summary}`);
  lines.push('', 'Run `z6 COMMAND --help` for the options of a command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    console.log(VERSION);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`z6: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`Usage: ${cmd.usage}\n\n${cmd.summary}${cmd.details ? `\n\n${cmd.details}` : ''}`);
    return 0;
  }
  try {
    return await cmd.run(args);
  } catch (e) {
    console.error(`z6 ${name}: ${(e as Error).message}`);
    return 3;
  }
}

/** Runs the CLI on argv and sets the process's exit code (used by bin/z6.js and `node dist/cli.js`). */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e);
      process.exitCode = 3;
    },
  );
}

if (require.main === module) runCli();
