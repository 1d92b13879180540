/**
 * `npm run env -- init|preview|up --env <env>`: creates, previews or deploys
 * every shard stack of an environment, in the waves of ./waves.ts, at most
 * `--parallel` stacks at a time. A thin layer over the Pulumi Automation API
 * (`@pulumi/pulumi/automation`): each shard is a stack of this project
 * directory (`LocalWorkspace.createOrSelectStack` with the shard's stack
 * name), then `preview()` or `up()` with the policy pack. Nothing else: no
 * state of its own, no retries; creating every stack first and ordering the
 * waves is all it adds to the engine.
 *
 *     npm run env -- init --env dev                    # create every shard stack (none deployed); up and preview do it first
 *     npm run env -- up --env dev                      # every shard; a first deployment takes 3 waves
 *     npm run env -- up --env dev --touched search     # a change to one shard, plus its dependents
 *     npm run env -- preview --env dev --parallel 2
 *     npm run env -- up --env dev --dry-run            # print the waves, run nothing (no CLI needed)
 *
 * Why every stack first: a shard reads the shards it shares an edge with
 * through StackReference, and the engine fails a reference to a stack that
 * does not exist (`unknown stack "<org>/<project>/<stack>"`, pulumi/pulumi
 * v3.248.0 pkg/backend/backend.go `GetStackOutputs`), in a preview too; a
 * stack that exists but was never deployed reads no outputs, and the program
 * skips that edge until a later wave.
 *
 * Options: --parallel N (default 4) stacks at a time within a wave; --touched
 * a,b (default: every shard) the shards a change touches; --org <org> the
 * Pulumi organization (stack `<org>/<env>.<shard>`); --dry-run with
 * --deployed all|none|a,b (default none) to print a plan offline.
 *
 * The Automation API runs the `pulumi` CLI, which must be on PATH
 * (https://www.pulumi.com/docs/iac/concepts/automation-api/): without it the
 * command stops before touching any stack, with exit code 3.
 * Exit codes: 0 done; 1 a stack failed (later waves not started);
 * 2 bad arguments or catalog; 3 no Pulumi CLI.
 */
import * as fs from "fs";
import * as path from "path";
import { packConfigFile } from "../../policies/lib/pack-config";
import { Environment, loadEnvironment } from "../../components/catalog/environment";
import { describePlan, mapLimited, planWaves, runWaves, WavePlan } from "./waves";

export type EnvCommand = "init" | "preview" | "up";
const COMMANDS: readonly EnvCommand[] = ["init", "preview", "up"];

export interface EnvArgs {
    command: EnvCommand;
    env: string;
    parallel: number;
    /** Shards the change touches; undefined: every shard. */
    touched?: string[];
    org?: string;
    dryRun: boolean;
    /** Only with --dry-run: the shards taken as deployed. */
    deployed?: string[] | "all";
}

export class UsageError extends Error {}

export const USAGE = "usage: npm run env -- init|preview|up --env <env> [--parallel N] [--touched a,b] [--org <org>] [--dry-run [--deployed all|none|a,b]]";

/** What `--help` adds to the usage line. */
const ENV_HELP = [
    "  init       create every shard stack of the environment (none deployed); preview and up do it first",
    "  preview    preview every shard (or --touched ones and their dependents) in waves, with the policy pack",
    "  up         deploy them in waves: a first deployment takes 3 (docs/scale.md, \"The waves\")",
    "  --env <env>            the environment: stacks/Pulumi.<env>.yaml and its shards",
    "  --parallel N           stacks at a time within a wave (default 4)",
    "  --touched a,b          the shards a change touches (default: every shard)",
    "  --org <org>            the Pulumi organization of the stacks",
    "  --dry-run              print the waves and run nothing (no Pulumi CLI needed); --deployed all|none|a,b says which shards exist",
    "Exit codes: 0 done; 1 a stack failed; 2 bad input; 3 no pulumi CLI on PATH.",
].join("\n");

/** `--help` or `-h` anywhere on the command line. */
export function wantsHelp(argv: readonly string[]): boolean {
    return argv.includes("--help") || argv.includes("-h");
}

export function parseEnvArgs(argv: readonly string[]): EnvArgs {
    const [command, ...rest] = argv;
    if (!COMMANDS.includes(command as EnvCommand)) throw new UsageError(`first argument must be init, preview or up, got ${JSON.stringify(command ?? "")}\n${USAGE}`);
    const args: EnvArgs = { command: command as EnvCommand, env: "", parallel: 4, dryRun: false };
    const list = (v: string) => v.split(",").map(s => s.trim()).filter(Boolean);
    for (let i = 0; i < rest.length; i++) {
        const flag = rest[i];
        const value = () => {
            const v = rest[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value\n${USAGE}`);
            return v;
        };
        switch (flag) {
            case "--env": args.env = value(); break;
            case "--parallel": {
                const v = value();
                const n = Number(v);
                if (!Number.isInteger(n) || n < 1) throw new UsageError(`--parallel must be a positive integer, got ${JSON.stringify(v)}`);
                args.parallel = n;
                break;
            }
            case "--touched": args.touched = list(value()); break;
            case "--org": args.org = value(); break;
            case "--dry-run": args.dryRun = true; break;
            case "--deployed": {
                const v = value();
                args.deployed = v === "all" ? "all" : v === "none" ? [] : list(v);
                break;
            }
            default: throw new UsageError(`unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
        }
    }
    if (args.env === "") throw new UsageError(`--env is required\n${USAGE}`);
    if (args.deployed !== undefined && !args.dryRun) {
        throw new UsageError("--deployed only goes with --dry-run: a real run asks each stack whether it has outputs");
    }
    return args;
}

/** What the command asks of Pulumi, per stack (its short name, `<env>.<shard>`). */
export interface StackOps {
    /** Creates the stack when it does not exist yet (its config comes from stacks/Pulumi.<stack>.yaml); deploys nothing. */
    create(stack: string): Promise<void>;
    /** The stack's deployed outputs; undefined when the stack does not exist yet. */
    outputs(stack: string): Promise<Record<string, unknown> | undefined>;
    preview(stack: string): Promise<void>;
    up(stack: string): Promise<void>;
}

export interface EnvResult {
    plan: WavePlan;
    /** What ran, in order: `preview dev.a`, `up dev.b`. */
    ran: string[];
}

/** Plans and runs the command against `ops`. */
export async function runEnv(args: EnvArgs, environment: Environment, ops: StackOps | undefined, log: (line: string) => void): Promise<EnvResult> {
    const names = environment.shards.map(s => s.name);
    const unknown = (args.touched ?? []).filter(s => !names.includes(s));
    if (unknown.length > 0) throw new UsageError(`--touched: ${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not a shard of ${args.env}; its shards: ${names.join(", ")}`);
    const ran: string[] = [];

    // Every shard stack exists before any preview or up: a StackReference to a stack that does not
    // exist fails the run, even in a preview (pulumi/pulumi v3.248.0 pkg/backend/backend.go
    // GetStackOutputs, "unknown stack"); one that exists with no deployment reads no outputs.
    const stacks = environment.shards.map(s => s.stack);
    log(`init ${args.env}: ${args.dryRun || !ops ? "would create" : "creating"} every shard stack that does not exist yet: ${stacks.join(", ")}`);
    if (!args.dryRun && ops) {
        await mapLimited(stacks, async stack => {
            ran.push(`create ${stack}`);
            await ops.create(stack);
        }, args.parallel);
    }
    // init deploys nothing: no wave.
    if (args.command === "init") return { plan: { waves: [], applied: [], dependents: [] }, ran };

    let deployed: string[];
    if (args.dryRun || !ops) {
        deployed = args.deployed === "all" ? names : args.deployed ?? [];
    } else {
        const outputs = await mapLimited(environment.shards, s => ops.outputs(s.stack), args.parallel);
        deployed = environment.shards.filter((_, i) => Object.keys(outputs[i] ?? {}).length > 0).map(s => s.name);
    }
    const plan = planWaves(environment, { deployed, touched: args.touched ?? names });

    if (args.command === "preview") {
        // A preview writes no outputs, so waves would not change what it shows: every shard of the plan at once.
        const stacks = plan.waves.flat().map(r => r.stack).filter((s, i, all) => all.indexOf(s) === i).sort();
        log(`preview ${args.env}: ${stacks.join(", ") || "nothing to preview"} (at most ${args.parallel} at a time)`);
        if (args.dryRun || !ops) return { plan, ran };
        await mapLimited(stacks, async stack => {
            ran.push(`preview ${stack}`);
            await ops.preview(stack);
        }, args.parallel);
        return { plan, ran };
    }

    log(`up ${args.env}: ${plan.waves.length} wave(s), at most ${args.parallel} stack(s) at a time; deployed before: ${deployed.join(", ") || "none"}`);
    for (const line of describePlan(plan)) log(`  ${line}`);
    if (args.dryRun || !ops) return { plan, ran };
    await runWaves(plan, async r => {
        ran.push(`up ${r.stack}`);
        log(`wave ${r.wave}: up ${r.stack}`);
        await ops.up(r.stack);
        log(`wave ${r.wave}: ${r.stack} done`);
    }, args.parallel);
    return { plan, ran };
}

export class PulumiCliMissingError extends Error {}

/** The telling line of the SDK's error (`spawn pulumi ENOENT`, a version mismatch). */
function cause(message: string): string {
    const lines = message.split("\n").map(l => l.trim()).filter(Boolean);
    return lines.find(l => /ENOENT|version/i.test(l)) ?? lines[0] ?? "unknown error";
}

/** The options `npm run env` gives a stack's `preview()` and `up()` (a subset of the Automation API's). */
export interface StackRunOptions {
    policyPacks: string[];
    policyPackConfigs?: string[];
    onOutput(out: string): void;
}

/** A stack of the Automation API, as far as `npm run env` uses it (`Stack` in @pulumi/pulumi/automation). */
export interface AutomationStack {
    outputs(): Promise<Record<string, { value: unknown; secret: boolean }>>;
    preview(opts: StackRunOptions): Promise<unknown>;
    up(opts: StackRunOptions): Promise<unknown>;
}

interface WorkspaceArgs {
    stackName: string;
    workDir: string;
}

/**
 * The part of `@pulumi/pulumi/automation` that `npm run env` calls: the
 * workspace boundary. Production loads the real module; the lifecycle tests
 * (test/env/lifecycle.test.ts) hand one that the offline world answers.
 */
export interface AutomationApi {
    PulumiCommand: { get(): Promise<unknown> };
    LocalWorkspace: {
        selectStack(args: WorkspaceArgs, opts: { pulumiCommand: never }): Promise<AutomationStack>;
        createOrSelectStack(args: WorkspaceArgs, opts: { pulumiCommand: never }): Promise<AutomationStack>;
    };
    StackNotFoundError: abstract new (...args: never[]) => Error;
}

/** The real Automation API (it drives the `pulumi` CLI). */
export async function realAutomation(): Promise<AutomationApi> {
    return import("@pulumi/pulumi/automation");
}

/**
 * StackOps over the Automation API. Fails fast, before any stack is touched,
 * when the `pulumi` CLI is not on PATH.
 */
export async function automationOps(
    projectDir: string,
    env: string,
    org: string | undefined,
    log: (line: string) => void,
    load: () => Promise<AutomationApi> = realAutomation,
): Promise<StackOps> {
    const auto = await load();
    let pulumiCommand: never;
    try {
        pulumiCommand = await auto.PulumiCommand.get() as never;
    } catch (err) {
        throw new PulumiCliMissingError(
            "the Pulumi CLI was not found on PATH (or is older than this SDK needs): `npm run env` drives it through the Pulumi " +
            "Automation API, which runs the `pulumi` command for every preview and update.\n" +
            "Install it (https://www.pulumi.com/docs/iac/download-install/), run `pulumi login`, and try again; " +
            "without AWS or the CLI, `npm run plan -- --env " + env + "` plans the environment offline and " +
            "`npm run env -- up --env " + env + " --dry-run` prints the waves.\n" +
            `(${cause((err as Error).message)})`);
    }
    const qualified = (stack: string) => (org ? `${org}/${stack}` : stack);
    // The same choice as `npm run preview` / `npm run up` and the offline plan (policies/lib/pack-config.ts).
    const policyConfig = (stack: string) => packConfigFile(stack, env);
    const options = (stack: string): StackRunOptions => ({
        policyPacks: [path.join(projectDir, "policies")],
        ...(fs.existsSync(policyConfig(stack) ?? "") ? { policyPackConfigs: [policyConfig(stack)!] } : {}),
        onOutput: (out: string) => out.split("\n").filter(Boolean).forEach(l => log(`[${stack}] ${l}`)),
    });
    const args = (stack: string): WorkspaceArgs => ({ stackName: qualified(stack), workDir: projectDir });
    const select = (stack: string) => auto.LocalWorkspace.selectStack(args(stack), { pulumiCommand });
    return {
        async create(stack) {
            // The stack's config comes from stacks/Pulumi.<stack>.yaml (Pulumi.yaml stackConfigDir).
            await auto.LocalWorkspace.createOrSelectStack(args(stack), { pulumiCommand });
        },
        async outputs(stack) {
            try {
                const out = await (await select(stack)).outputs();
                return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value]));
            } catch (err) {
                if (err instanceof auto.StackNotFoundError) return undefined;
                throw err;
            }
        },
        async preview(stack) {
            await (await select(stack)).preview(options(stack));
        },
        async up(stack) {
            await (await select(stack)).up(options(stack));
        },
    };
}

export interface MainDeps {
    projectDir?: string;
    log?: (line: string) => void;
    /** Loads the Automation API in place of `@pulumi/pulumi/automation` (the lifecycle tests' offline workspace). */
    automation?: () => Promise<AutomationApi>;
}

export async function main(argv: readonly string[], deps: MainDeps = {}): Promise<number> {
    const projectDir = deps.projectDir ?? path.resolve(__dirname, "..", "..");
    const log = deps.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    const fail = (code: number, message: string) => {
        log(`error: ${message}`);
        return code;
    };
    if (wantsHelp(argv)) {
        log(`${USAGE}\n\n${ENV_HELP}`);
        return 0;
    }
    let args: EnvArgs;
    let environment: Environment;
    try {
        args = parseEnvArgs(argv);
        environment = loadEnvironment(projectDir, args.env);
    } catch (err) {
        return fail(2, (err as Error).message);
    }
    let ops: StackOps | undefined;
    if (!args.dryRun) {
        try {
            ops = await automationOps(projectDir, args.env, args.org, log, deps.automation);
        } catch (err) {
            return fail(err instanceof PulumiCliMissingError ? 3 : 1, (err as Error).message);
        }
    }
    try {
        await runEnv(args, environment, ops, log);
        return 0;
    } catch (err) {
        return fail(err instanceof UsageError ? 2 : 1, (err as Error).message);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(code => { process.exitCode = code; });
}
