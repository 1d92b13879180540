/**
 * `npm run preview -- --stack <stack> [pulumi flags]` and
 * `npm run up -- --stack <stack> [pulumi flags]`: the Pulumi CLI's preview and
 * up with this project's policy pack (`policies/`) and the stack's pack
 * configuration (`policies/config/<environment>.json`, chosen by the pack's
 * own `packConfigFile`, as the offline plan chooses it). Every other flag is
 * passed to `pulumi` as it is (`--yes`, `--diff`, `--refresh`...).
 *
 * The point is that nobody has to remember `--policy-pack` and the right
 * `--policy-pack-config`: CI runs these, and docs/enforcement.md says how to
 * make them the only way to deploy.
 *
 * Exit codes: pulumi's own; 2 bad arguments, an unknown stack or a stack
 * without a pack configuration; 3 no Pulumi CLI on PATH.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { listStacks, qualifyKey, readProject, readStackConfig, StackFileError } from "../preview/config";
import { packConfigFile } from "../../policies/lib/pack-config";

export type Command = "preview" | "up";

export const USAGE = `usage: npm run preview -- --stack <stack> [pulumi flags]
       npm run up -- --stack <stack> [pulumi flags]

Runs \`pulumi preview\` / \`pulumi up\` with the policy pack in policies/ and the stack's
pack configuration, policies/config/<environment>.json (a shard stack's environment is its
privatelink-platform:environment; any other stack is its own). Other flags go to pulumi.

exit codes: pulumi's own; 2 bad arguments, an unknown stack or no pack configuration;
            3 the Pulumi CLI is not on PATH
`;

export class UsageError extends Error {}

export interface Invocation {
    command: Command;
    stack: string;
    /** Arguments for `pulumi`, in order. */
    args: string[];
    /** The pack directory and configuration file passed. */
    policyPack: string;
    policyPackConfig: string;
}

/**
 * What to run for `argv` (`[preview|up, --stack, <s>, ...pulumi flags]`) in
 * `projectDir`. Throws UsageError / StackFileError for bad input.
 */
export function invocation(argv: readonly string[], projectDir: string): Invocation {
    const [command, ...rest] = argv;
    if (command !== "preview" && command !== "up") throw new UsageError(`first argument must be preview or up, got ${JSON.stringify(command ?? "")}`);
    let stack: string | undefined;
    const passed: string[] = [];
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        if (arg === "--stack" || arg === "-s") {
            stack = rest[++i];
            if (stack === undefined || stack.startsWith("-")) throw new UsageError(`${arg} needs a stack name`);
        } else if (arg.startsWith("--stack=")) {
            stack = arg.slice("--stack=".length);
        } else if (arg === "--policy-pack" || arg === "--policy-pack-config" || arg.startsWith("--policy-pack=") || arg.startsWith("--policy-pack-config=")) {
            throw new UsageError(`${arg.split("=")[0]} is chosen by this command (the project's pack and the stack's configuration); leave it out`);
        } else {
            passed.push(arg);
        }
    }
    if (!stack) throw new UsageError("--stack <stack> is required: this command never guesses which stack to change");
    const project = readProject(projectDir);
    // `<org>/<stack>` or `<org>/<project>/<stack>` (CI qualifies it): the stack file is the last part's.
    const short = stack.split("/").pop()!;
    // The stack must have a stack file: its configuration is the catalog, and it names the environment.
    const config = readStackConfig(project, short);
    const environment = config[qualifyKey("environment", project.name)];
    const policyPackConfig = packConfigFile(short, environment);
    if (!policyPackConfig || !fs.existsSync(policyPackConfig)) {
        throw new StackFileError(
            `stack '${stack}' has no policy pack configuration ${policyPackConfig ?? "(not a stack name)"}; ` +
                `create it (copy policies/config/dev.json and set the enforcement levels this environment needs); stacks: ${listStacks(project).join(", ")}`,
            policyPackConfig ?? stack,
        );
    }
    const policyPack = path.join(projectDir, "policies");
    return {
        command,
        stack,
        policyPack,
        policyPackConfig,
        args: [command, "--stack", stack, "--policy-pack", policyPack, "--policy-pack-config", policyPackConfig, ...passed],
    };
}

export interface MainDeps {
    projectDir?: string;
    /** Runs `pulumi` with the arguments; resolves to its exit code. Default: spawn it with inherited stdio. */
    run?: (args: string[], cwd: string) => Promise<number>;
    err?: (s: string) => void;
}

class CliMissing extends Error {}

function spawnPulumi(args: string[], cwd: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn("pulumi", args, { cwd, stdio: "inherit" });
        child.on("error", e => reject((e as NodeJS.ErrnoException).code === "ENOENT" ? new CliMissing(e.message) : e));
        child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
}

export async function main(argv: readonly string[], deps: MainDeps = {}): Promise<number> {
    const projectDir = deps.projectDir ?? path.resolve(__dirname, "..", "..");
    const err = deps.err ?? ((s: string) => process.stderr.write(s));
    if (argv.includes("--help") || argv.includes("-h")) {
        err(USAGE);
        return 0;
    }
    let call: Invocation;
    try {
        call = invocation(argv, projectDir);
    } catch (e) {
        if (e instanceof UsageError || e instanceof StackFileError) {
            err(`error: ${e.message}\n${e instanceof UsageError ? `\n${USAGE}` : ""}`);
            return 2;
        }
        throw e;
    }
    err(`pulumi ${call.command} --stack ${call.stack} with the policy pack ${path.relative(projectDir, call.policyPack)} and ${path.relative(projectDir, call.policyPackConfig)}\n`);
    try {
        return await (deps.run ?? spawnPulumi)(call.args, projectDir);
    } catch (e) {
        if (e instanceof CliMissing) {
            err("error: the Pulumi CLI was not found on PATH. Install it (https://www.pulumi.com/docs/iac/download-install/) and run `pulumi login`; " +
                "without it, `npm run plan -- --stack " + call.stack + "` plans the stack offline with the same pack.\n");
            return 3;
        }
        throw e;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(code => (process.exitCode = code), e => {
        process.stderr.write(`error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        process.exitCode = 1;
    });
}
