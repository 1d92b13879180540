/**
 * `npm run -s plan -- [--stack dev] [--mode preview|up] [--json[=file]] ...`: the
 * offline plan's command line. Options: ./usage.js (USAGE).
 *
 * Exit codes: 0 clean; 1 a mandatory policy violation, or the program failed;
 * 2 bad input of any kind (the catalog, a stack file, a flag, a git ref, an
 * output path, policies that do not load), checked before anything is planned
 * wherever that is possible.
 */
import * as fs from "fs";
import * as path from "path";
import { defaultProjectDir, EvaluatePolicies, formatDiagnostic, OFFLINE_ORGANIZATION, PolicyEvaluationError, PreviewProgress, PreviewResult, QuotaReport, runPreview, Violation } from "./index";
import { readProject, readStackConfig, StackFileError } from "./config";
import { qualifiedStackName } from "./cloud";
import { createdShardStacks } from "./env-model";
import { DiagramCliOptions, diagramUsageProblem, parseDiagramFlag, runDiagram } from "../insights/diagram-cli";
import { Mode } from "./monitor";
import { renderFrontDoor, traceFrontDoor } from "./front-door-path";
import { PlanSections, renderText } from "./render";
import { costHook } from "../insights/cost";
import { renderCost } from "../insights/cost-text";
import { mainEnv } from "./env-cli";
import { loadPolicyEvaluator, loadQuotaReport, loadReachability } from "./project-hooks";
import { checkFocus, checkOutputPath, InputError } from "./input-checks";
import { USAGE } from "./usage";

export { loadPolicyEvaluator, loadQuotaReport, loadReachability } from "./project-hooks";
export { USAGE } from "./usage";

export interface CliOptions {
    stack: string;
    mode: Mode;
    json: boolean;
    /** `--json=<file>`: the JSON document goes into this file; stdout gets the text. */
    jsonFile?: string;
    /** List every finding a preview could not decide, not one line per rule. */
    verbose: boolean;
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
    /** With --env: plan only the shards the change since this git ref can affect, the others from the cache. */
    changed?: string;
    /** `--diagram <file>` and its options (tools/insights/diagram-cli.ts). */
    diagram?: DiagramCliOptions;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[]): CliOptions {
    const opts: CliOptions = { stack: "dev", mode: "preview", json: false, verbose: false, freshAccount: false, cost: false, help: false };
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
                if (flag !== arg) opts.jsonFile = value();
                else opts.json = true;
                break;
            case "--verbose":
            case "-v":
                opts.verbose = true;
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
            case "--changed":
                opts.changed = value();
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
    if (opts.jsonFile !== undefined && opts.env !== undefined) throw new UsageError("--json=<file> plans one stack; with --env, use --json and redirect stdout");
    if (opts.changed !== undefined && opts.env === undefined) throw new UsageError("--changed plans the shards of an environment a change can affect: use it with --env <name> (one stack: --base <git-ref>)");
    const diagramProblem = diagramUsageProblem(opts.diagram);
    if (diagramProblem) throw new UsageError(diagramProblem);
    return opts;
}

export function hasMandatory(violations: Violation[]): boolean {
    return violations.some(v => v.enforcementLevel === "mandatory");
}

/** What a shard's plan takes as the other stacks of the backend (its StackReferences read them). */
export function renderExistingStacks(existing: ReadonlyMap<string, Record<string, unknown>>, stack: string): string[] {
    if (existing.size === 0) return [];
    const env = stack.split(".")[0];
    return [
        "Stack references:",
        `  taken to exist, never deployed (\`npm run env -- init --env ${env}\` creates every shard stack of ${env} before wave 1):`,
        ...[...existing.keys()].map(s => `    ${s}`),
        "  a reference to any other stack fails the plan, as the engine's read does (unknown stack); edges to these are skipped until their stack is deployed",
        "",
    ];
}

function errorMessage(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

/** How the command line shows progress: a line on stderr, rewritten in place (a terminal only). */
export interface CliEnvironment {
    /** Show progress on `err` (bin.js: stderr is a terminal and the JSON is not on stdout). */
    progress?: boolean;
}

/** The line the progress display rewrites, e.g. `planning dev: 312 resources registered`. */
export function progressLine(stack: string, p: PreviewProgress): string {
    switch (p.phase) {
        case "program":
            return `planning ${stack}: ${p.resources} resources registered`;
        case "policies":
            return `planning ${stack}: ${p.resources} resources; the policy pack is running`;
        default:
            return `planning ${stack}: ${p.resources} resources; ${p.phase}`;
    }
}

/**
 * Everything that can be checked without planning: the stack file, output
 * paths, the services `--diagram-focus` names, the `--base` ref. Throws an
 * InputError or StackFileError (exit 2).
 */
function checkInput(opts: CliOptions, projectDir: string, project: string): Record<string, unknown> | undefined {
    for (const [flag, file] of [["--json=", opts.jsonFile], ["--comment", opts.comment], ["--diagram", opts.diagram?.file]] as const) {
        if (file !== undefined) checkOutputPath(flag, file);
    }
    if (opts.env !== undefined) {
        if (opts.changed !== undefined) checkRef(projectDir, "--changed", opts.changed);
        return undefined;
    }
    const stackConfig = readStackConfig(readProject(projectDir), opts.stack, opts.configFile);
    if (opts.diagram?.focus?.length) checkFocus(opts.diagram.focus, stackConfig, project, opts.stack);
    if (opts.base !== undefined) checkRef(projectDir, "--base", opts.base);
    return stackConfig;
}

/** A git ref that must name a commit of the project's repository (an InputError otherwise). */
function checkRef(projectDir: string, flag: string, ref: string): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resolveBaseCommit, BasePlanError } = require("../insights/base-plan") as typeof import("../insights/base-plan");
    try {
        resolveBaseCommit(projectDir, ref);
    } catch (e) {
        throw e instanceof BasePlanError ? new InputError(`${flag} ${ref}: ${e.message}`) : e;
    }
}

/** Runs the CLI; returns the exit code. `out` receives stdout text, `err` stderr text. */
export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void, env: CliEnvironment = {}): Promise<number> {
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
    const failJson = (message: string) => {
        if (opts.json) out(JSON.stringify({ ...base, resources: [], error: message }, null, 2) + "\n");
    };
    let evaluatePolicies: EvaluatePolicies | undefined;
    let reach: ReturnType<typeof loadReachability>;
    let quotaReport: QuotaReport | undefined;
    let stackConfig: Record<string, unknown> | undefined;
    try {
        base.project = readProject(projectDir).name;
        stackConfig = checkInput(opts, projectDir, base.project);
        evaluatePolicies = loadPolicyEvaluator(projectDir);
        reach = loadReachability(projectDir);
        quotaReport = loadQuotaReport(projectDir);
    } catch (e) {
        err(`error: ${errorMessage(e)}\n`);
        failJson(errorMessage(e));
        return 2;
    }
    if (opts.env !== undefined) {
        return mainEnv({ env: opts.env, mode: opts.mode, json: opts.json, projectDir, configFile: opts.configFile, changed: opts.changed, evaluatePolicies, quotaReport }, out, err);
    }
    // --base: the base revision is planned in a child process while this plan runs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const diffModule = opts.base !== undefined ? (require("../insights/plan-diff") as typeof import("../insights/plan-diff")) : undefined;
    const pendingBase = diffModule?.startBasePlan({ projectDir, ref: opts.base!, stack: opts.stack, mode: opts.mode, log: l => err(`${l}\n`) });
    let shown = "";
    const onProgress = env.progress
        ? (p: PreviewProgress) => {
            const line = progressLine(opts.stack, p);
            err(`\r${line}${" ".repeat(Math.max(0, shown.length - line.length))}`);
            shown = line;
        }
        : undefined;
    const clearProgress = () => {
        if (shown) err(`\r${" ".repeat(shown.length)}\r`);
        shown = "";
    };
    let result: PreviewResult;
    let existing: Map<string, Record<string, unknown>> = new Map();
    try {
        // A shard stack reads its sibling shards: they exist (npm run env -- init), none deployed.
        existing = createdShardStacks(projectDir, stackConfig ?? readStackConfig(readProject(projectDir), opts.stack, opts.configFile), s => qualifiedStackName(s, { organization: OFFLINE_ORGANIZATION, project: base.project }));
        result = await runPreview({ projectDir, stack: opts.stack, mode: opts.mode, configFile: opts.configFile, evaluatePolicies, analyzeReachability: reach?.analyze, quotaReport, freshAccount: opts.freshAccount, estimateCost: costHook(err), onProgress,
            // What the program logs goes to stderr as it comes, as under the Pulumi CLI.
            onDiagnostic: d => {
                clearProgress();
                err(`${formatDiagnostic(d)}\n`);
            }, stackOutputs: existing });
    } catch (e) {
        clearProgress();
        const code = e instanceof StackFileError ? 2 : 1;
        if (e instanceof PolicyEvaluationError || code === 2) {
            err(`error: ${e instanceof Error ? e.message : String(e)}\n`);
        } else {
            err(`error: the program failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
            if (Error.stackTraceLimit === 0) err("(run with PREVIEW_STACK_TRACE_LIMIT=50 to see where it was thrown)\n");
        }
        failJson(errorMessage(e));
        return code;
    }
    clearProgress();
    if (result.errors) {
        const noun = result.errors.length === 1 ? "problem" : "problems";
        err(`error: the service catalog of stack '${result.stack}' has ${result.errors.length} ${noun}; nothing was created:\n`);
        for (const p of result.errors) err(`  ${p.path}: ${p.message}\n`);
        if (opts.json) out(JSON.stringify(result, null, 2) + "\n");
        return 2;
    }
    if (diffModule && opts.base !== undefined) return diffModule.runDiffCommand({ ...opts, base: opts.base }, result, projectDir, out, err, pendingBase);
    // The front door's paths (client → … → workload), when the plan has one.
    const frontDoor = traceFrontDoor(result.resources, opts.mode);
    const invokeUrl = (result.outputs.frontDoor as { invokeUrl?: unknown } | undefined)?.invokeUrl;
    const sections: PlanSections = {
        stackReferences: renderExistingStacks(existing, opts.stack),
        frontDoor: renderFrontDoor(frontDoor, typeof invokeUrl === "string" ? invokeUrl : undefined),
        reachability: reach && result.reachability !== undefined ? reach.render(result.reachability) : [],
        reachabilitySummary: reachabilitySummary(result.reachability),
        cost: renderCost(result.cost, opts.cost),
        costSummary: result.cost ? `${money(result.cost.total)}/month at list prices (${result.cost.region}; --cost for every line)` : undefined,
    };
    const withStacks = existing.size > 0 ? { ...result, existingStacks: [...existing.keys()] } : result;
    const doc = frontDoor.length > 0 ? { ...withStacks, frontDoor } : withStacks;
    const json = JSON.stringify(doc, null, 2) + "\n";
    if (opts.jsonFile !== undefined) fs.writeFileSync(opts.jsonFile, json);
    out(opts.json ? json : renderText(result, sections, { verbose: opts.verbose }));
    if (opts.diagram) {
        try {
            err(`${await runDiagram(opts.diagram, result, stackConfig)}\n`);
        } catch (e) {
            // The inputs were checked before planning: a failure here is the tool's own.
            err(`error: drawing ${opts.diagram.file} failed: ${errorMessage(e)}\n`);
            return 1;
        }
    }
    return hasMandatory(result.violations) ? 1 : 0;
}

function money(n: number): string {
    return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * The reachability analysis' one-line summary, from its report's `summary`
 * (policies/lib/reachability/report.ts); undefined when the project has none.
 */
export function reachabilitySummary(report: unknown): string | undefined {
    const s = (report as { summary?: Record<string, unknown> } | undefined)?.summary;
    if (!s || typeof s.declared !== "number") return undefined;
    const n = (k: string) => (typeof s[k] === "number" ? (s[k] as number) : 0);
    const undecided = n("partial") > 0 ? `, ${n("partial")} undecided here` : "";
    return `${n("reach")}/${n("declared")} declared edges reach, ${n("blocked")} blocked${undecided}; ${n("undeclaredReachable")} undeclared pairs reachable; ` +
        `${n("startupChecks") - n("startupBlocked")}/${n("startupChecks")} start-up checks pass`;
}

/**
 * Entry point used by bin.js. Stdout carries only the plan (text or JSON):
 * whatever the program itself prints goes to stderr.
 */
export function run(argv: string[]): void {
    const realStdout = process.stdout.write.bind(process.stdout);
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    // Progress only on a terminal, and never when the JSON document is on stdout.
    const progress = process.stderr.isTTY === true && !argv.some(a => a === "--json");
    main(argv, s => realStdout(s), s => process.stderr.write(s), { progress }).then(
        code => {
            process.exitCode = code;
        },
        e => {
            process.stderr.write(`error: ${e instanceof Error ? e.stack : String(e)}\n`);
            process.exitCode = 1;
        },
    );
}
