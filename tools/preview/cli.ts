/**
 * `npm run plan -- [--stack dev] [--mode preview|up] [--json] [--config-file f] [--cwd dir]`
 *
 * Exit codes: 0 fine; 1 program error or a mandatory policy violation;
 * 2 invalid catalog, unknown stack, no Pulumi project, policies that do not
 * load, or bad usage.
 */
import * as path from "path";
import { defaultProjectDir, EvaluatePolicies, PolicyEvaluationError, PreviewResult, QuotaReport, runPreview, StackNotFoundError, Violation } from "./index";
import { readProject, readStackConfig } from "./config";
import { DIAGRAM_USAGE, DiagramCliOptions, diagramUsageProblem, parseDiagramFlag, runDiagram } from "../insights/diagram-cli";
import { Mode } from "./monitor";
import { renderFrontDoor, traceFrontDoor } from "./front-door-path";
import { renderText } from "./render";
import { costHook } from "../insights/cost";
import { renderCost } from "../insights/cost-text";
import { mainEnv } from "./env-cli";
import { loadPolicyEvaluator, loadQuotaReport, loadReachability } from "./project-hooks";

export { loadPolicyEvaluator, loadQuotaReport, loadReachability } from "./project-hooks";

export interface CliOptions {
    stack: string;
    mode: Mode;
    json: boolean;
    configFile?: string;
    cwd?: string;
    /** Plan the first `up` in an account where nothing of the stack exists yet. */
    freshAccount: boolean;
    /** Print the whole cost table (every line of every service), not only the summary. */
    cost: boolean;
    help: boolean;
    /** Git ref to plan too and diff against (tools/insights/plan-diff.ts). */
    base?: string;
    /** With --base: write a pull-request comment body (Markdown) to this file. */
    comment?: string;
    /** Plan every shard of this environment as one (tools/preview/env-cli.ts) instead of one stack. */
    env?: string;
    /** `--diagram <file>` and its options (tools/insights/diagram-cli.ts). */
    diagram?: DiagramCliOptions;
}

export const USAGE = `usage: npm run plan -- [options]

Runs the Pulumi program offline (fake cloud, no credentials) and shows what it would create.

  --stack <name>        stack whose stacks/Pulumi.<name>.yaml is read (default: dev)
  --mode preview|up     preview: cloud-computed outputs unknown; up: all known (default: preview)
  --json                print one JSON document on stdout
                        (stdout holds only the plan: the program's own output goes to stderr)
  --config-file <path>  read the stack's configuration from this file instead
  --cwd <dir>           the Pulumi project directory (default: the repository root)
  --fresh-account       plan against a fresh offline account, where nothing exists yet (the first
                        \`pulumi up\`): no ECR repository, so every image tag is a first deployment;
                        without it, the account after the first deploy and push (docs/offline-world.md)
  --cost                the whole monthly cost table (every line per service, the NAT comparison,
                        the assumptions) instead of its summary; --json always carries it (key "cost")
  --base <git-ref>      also plan that revision (temporary git worktree, cached install) and show
                        what this checkout changes: resources, moves, policy findings, cost
                        (docs/plan-diff.md)
  --comment <file>      with --base: write the pull-request comment body (Markdown) to <file>
  --env <name>          plan every shard stack of the environment stacks/Pulumi.<name>.yaml as one,
                        each StackReference answered from the other shards' offline outputs, then
                        the environment-wide checks (edges, principals, quotas, reachability)
${DIAGRAM_USAGE}  -h, --help            this text

exit codes: 0 ok, 1 program error or mandatory policy violation, 2 invalid catalog or unknown stack
`;

export class UsageError extends Error {}

export function parseArgs(argv: string[]): CliOptions {
    const opts: CliOptions = { stack: "dev", mode: "preview", json: false, freshAccount: false, cost: false, help: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const eq = arg.indexOf("=");
        const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
        const value = (): string => {
            if (flag !== arg) return arg.slice(eq + 1);
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
            return v;
        };
        switch (flag) {
            case "--stack":
            case "-s":
                opts.stack = value();
                break;
            case "--mode": {
                const m = value();
                if (m !== "preview" && m !== "up") throw new UsageError(`--mode is preview or up, not '${m}'`);
                opts.mode = m;
                break;
            }
            case "--json":
                opts.json = true;
                break;
            case "--config-file":
                opts.configFile = value();
                break;
            case "--cwd":
                opts.cwd = value();
                break;
            case "--fresh-account":
                opts.freshAccount = true;
                break;
            case "--cost":
                opts.cost = true;
                break;
            case "--base":
                opts.base = value();
                break;
            case "--comment":
                opts.comment = value();
                break;
            case "--env":
                opts.env = value();
                break;
            case "-h":
            case "--help":
                opts.help = true;
                break;
            default:
                try {
                    if (parseDiagramFlag(flag, value, opts)) break;
                } catch (e) {
                    throw e instanceof UsageError ? e : new UsageError(errorMessage(e));
                }
                throw new UsageError(`unknown argument '${arg}'`);
        }
    }
    if (opts.comment !== undefined && opts.base === undefined) throw new UsageError("--comment needs --base <git-ref>");
    const diagramProblem = diagramUsageProblem(opts.diagram);
    if (diagramProblem) throw new UsageError(diagramProblem);
    return opts;
}

export function hasMandatory(violations: Violation[]): boolean {
    return violations.some(v => v.enforcementLevel === "mandatory");
}

function errorMessage(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

/** Runs the CLI; returns the exit code. `out` receives stdout text, `err` stderr text. */
export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
    let opts: CliOptions;
    try {
        opts = parseArgs(argv);
    } catch (e) {
        err(`error: ${errorMessage(e)}\n\n${USAGE}`);
        return 2;
    }
    if (opts.help) {
        out(USAGE);
        return 0;
    }
    const projectDir = path.resolve(opts.cwd ?? defaultProjectDir());
    const base = { stack: opts.stack, project: path.basename(projectDir), mode: opts.mode };
    let evaluatePolicies: EvaluatePolicies | undefined;
    let reach: ReturnType<typeof loadReachability>;
    let quotaReport: QuotaReport | undefined;
    try {
        base.project = readProject(projectDir).name;
        evaluatePolicies = loadPolicyEvaluator(projectDir);
        reach = loadReachability(projectDir);
        quotaReport = loadQuotaReport(projectDir);
    } catch (e) {
        err(`error: ${errorMessage(e)}\n`);
        if (opts.json) out(JSON.stringify({ ...base, resources: [], error: errorMessage(e) }, null, 2) + "\n");
        return 2;
    }
    if (opts.env !== undefined) {
        return mainEnv({ env: opts.env, mode: opts.mode, json: opts.json, projectDir, configFile: opts.configFile, evaluatePolicies, quotaReport }, out, err);
    }
    // --base: the base revision is planned in a child process while this plan runs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const diffModule = opts.base !== undefined ? (require("../insights/plan-diff") as typeof import("../insights/plan-diff")) : undefined;
    const pendingBase = diffModule?.startBasePlan({ projectDir, ref: opts.base!, stack: opts.stack, mode: opts.mode, log: l => err(`${l}\n`) });
    let result: PreviewResult;
    try {
        result = await runPreview({ projectDir, stack: opts.stack, mode: opts.mode, configFile: opts.configFile, evaluatePolicies, analyzeReachability: reach?.analyze, quotaReport, freshAccount: opts.freshAccount, estimateCost: costHook(err) });
    } catch (e) {
        const code = e instanceof StackNotFoundError ? 2 : 1;
        if (e instanceof PolicyEvaluationError) {
            err(`error: ${e.message}\n`);
        } else if (code === 1) {
            err(`error: the program failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
            if (Error.stackTraceLimit === 0) err("(run with PREVIEW_STACK_TRACE_LIMIT=50 to see where it was thrown)\n");
        } else {
            err(`error: ${errorMessage(e)}\n`);
        }
        if (opts.json) out(JSON.stringify({ ...base, resources: [], error: errorMessage(e) }, null, 2) + "\n");
        return code;
    }
    if (result.errors) {
        const noun = result.errors.length === 1 ? "problem" : "problems";
        err(`error: the service catalog of stack '${result.stack}' has ${result.errors.length} ${noun}; nothing was created:\n`);
        for (const p of result.errors) err(`  ${p.path}: ${p.message}\n`);
        if (opts.json) out(JSON.stringify(result, null, 2) + "\n");
        return 2;
    }
    if (diffModule && opts.base !== undefined) return diffModule.runDiffCommand({ ...opts, base: opts.base }, result, projectDir, out, err, pendingBase);
    // The front door's paths (client → … → workload), when the plan has one.
    const frontDoor = traceFrontDoor(result.resources);
    const invokeUrl = (result.outputs.frontDoor as { invokeUrl?: unknown } | undefined)?.invokeUrl;
    const sections = [
        ...renderFrontDoor(frontDoor, typeof invokeUrl === "string" ? invokeUrl : undefined),
        ...(reach && result.reachability !== undefined ? reach.render(result.reachability) : []),
        ...renderCost(result.cost, opts.cost),
    ];
    const doc = frontDoor.length > 0 ? { ...result, frontDoor } : result;
    out(opts.json ? JSON.stringify(doc, null, 2) + "\n" : renderText(result, sections));
    if (opts.diagram) {
        try {
            err(`${await runDiagram(opts.diagram, result, readStackConfig(readProject(projectDir), opts.stack, opts.configFile))}\n`);
        } catch (e) {
            err(`error: ${errorMessage(e)}\n`);
            return 2;
        }
    }
    return hasMandatory(result.violations) ? 1 : 0;
}

/**
 * Entry point used by bin.js. Stdout carries only the plan (text or JSON):
 * whatever the program itself prints goes to stderr.
 */
export function run(argv: string[]): void {
    const realStdout = process.stdout.write.bind(process.stdout);
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    main(argv, s => realStdout(s), s => process.stderr.write(s)).then(
        code => {
            process.exitCode = code;
        },
        e => {
            process.stderr.write(`error: ${e instanceof Error ? e.stack : String(e)}\n`);
            process.exitCode = 1;
        },
    );
}
