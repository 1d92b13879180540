/**
 * The Pulumi Automation API faked at the workspace boundary, answered by the
 * offline world, so `npm run env` (tools/env/cli.ts `main`, `automationOps`
 * and the real wave runner) runs under test exactly as in production, only
 * with this module loaded in place of `@pulumi/pulumi/automation`.
 *
 * The backend holds which stacks exist and each one's last deployed outputs
 * (wire form), as Pulumi Cloud does:
 * - `LocalWorkspace.selectStack` of a stack that does not exist fails with
 *   StackNotFoundError (`no stack named '<name>' found`); `createOrSelectStack`
 *   creates it, with no deployment;
 * - `up()` runs the real program offline (tools/preview `runPreview`, `up`
 *   mode) with the policy pack, reading through StackReference the stacks of
 *   the backend (one absent from it fails with the engine's `unknown stack`),
 *   and stores its outputs as the stack's last deployment; a mandatory policy
 *   violation fails it, as the engine fails an update;
 * - `preview()` plans the same way in preview mode and stores nothing;
 * - `outputs()` answers the last deployed outputs (`{ value, secret }`).
 * Every call is recorded in `backend.calls` (`createOrSelectStack dev.a`,
 * `up dev.a`), in the order the workspace received them.
 */
import * as fs from "fs";
import * as path from "path";
import type { AutomationApi, AutomationStack, StackRunOptions } from "../../tools/env/cli";
import { configOf, stackFile } from "../../components/catalog/environment";
import { evaluate } from "../../policies/evaluate";
import { Mode, OFFLINE_ORGANIZATION, runPreview } from "../../tools/preview";
import { qualifiedStackName } from "../../tools/preview/cloud";
import { display, isWireSecret } from "../../tools/preview/values";
import { PROJECT, ROOT } from "../helpers";

/** One run of a stack's program: its wire outputs, or a rejection as the engine would fail it. */
export type ProgramRun = (req: {
    /** The short stack name (`dev.search`). */
    stack: string;
    mode: Mode;
    /** The workspace's directory: its stacks/ holds the stack's configuration. */
    workDir: string;
    /** Every stack of the backend, by qualified name, with its last deployed outputs ({} when never deployed). */
    stackOutputs: ReadonlyMap<string, Record<string, unknown>>;
}) => Promise<Record<string, unknown>>;

/** The real program (this repository's), offline, with the policy pack: what `pulumi up` / `pulumi preview` would do. */
export const realProgram: ProgramRun = async ({ stack, mode, workDir, stackOutputs }) => {
    let outputs: Record<string, unknown> = {};
    const result = await runPreview({
        projectDir: ROOT,
        stack,
        mode,
        stackConfig: configOf(fs.readFileSync(stackFile(workDir, stack), "utf8"), stackFile(workDir, stack)),
        stackOutputs,
        evaluatePolicies: evaluate,
        onStackOutputs: o => { outputs = o; },
    });
    if (result.errors) throw new Error(`${stack}: the service catalog has ${result.errors.length} problem(s): ${result.errors.map(e => `${e.path}: ${e.message}`).join("; ")}`);
    const mandatory = result.violations.filter(v => v.enforcementLevel === "mandatory");
    if (mandatory.length > 0) throw new Error(`${stack}: ${mode} failed: ${mandatory.length} mandatory policy violation(s): ${mandatory.map(v => `${v.policy}: ${v.message}`).join("; ")}`);
    return outputs;
};

export class OfflineStackNotFoundError extends Error {
    constructor(name: string) {
        super(`no stack named '${name}' found`);
        this.name = "StackNotFoundError";
    }
}

/** What the fake Pulumi Cloud holds. */
export class OfflineBackend {
    /** Qualified name -> last deployed outputs (wire form); `{}` for a stack never deployed. */
    readonly stacks = new Map<string, Record<string, unknown>>();
    /** Every workspace call, in order. */
    readonly calls: string[] = [];
    /** Every program run: stack, mode and the stacks that existed when it started. */
    readonly runs: Array<{ stack: string; mode: Mode; existing: string[] }> = [];

    constructor(readonly organization = OFFLINE_ORGANIZATION, readonly project = PROJECT) {}

    qualify(stackName: string): string {
        return qualifiedStackName(stackName, { organization: this.organization, project: this.project });
    }

    /** The short names of the stacks that exist. */
    existing(): string[] {
        return [...this.stacks.keys()].map(q => q.split("/").pop()!).sort();
    }

    /** The short names of the stacks with a deployment. */
    deployed(): string[] {
        return [...this.stacks].filter(([, o]) => Object.keys(o).length > 0).map(([q]) => q.split("/").pop()!).sort();
    }

    outputsOf(stack: string): Record<string, unknown> | undefined {
        return this.stacks.get(this.qualify(stack));
    }
}

/** The Automation API over `backend`, running `program` for preview and up. */
export function offlineAutomation(backend: OfflineBackend, program: ProgramRun = realProgram): AutomationApi {
    const stackOf = (stackName: string, workDir: string): AutomationStack => {
        const name = backend.qualify(stackName);
        const short = name.split("/").pop()!;
        const run = async (mode: Mode, opts: StackRunOptions) => {
            backend.calls.push(`${mode} ${short}`);
            if (!backend.stacks.has(name)) throw new OfflineStackNotFoundError(stackName);
            if (!opts.policyPacks.every(p => fs.existsSync(p))) throw new Error(`a policy pack of ${short} does not exist: ${opts.policyPacks.join(", ")}`);
            backend.runs.push({ stack: short, mode, existing: backend.existing() });
            const outputs = await program({ stack: short, mode, workDir, stackOutputs: new Map(backend.stacks) });
            opts.onOutput(`${mode === "up" ? "Update" : "Preview"} of ${short} done`);
            if (mode === "up") backend.stacks.set(name, outputs);
            return { summary: { result: "succeeded" } };
        };
        return {
            async outputs() {
                backend.calls.push(`outputs ${short}`);
                const o = backend.stacks.get(name);
                if (o === undefined) throw new OfflineStackNotFoundError(stackName);
                return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { value: display(v), secret: isWireSecret(v) }]));
            },
            preview: opts => run("preview", opts),
            up: opts => run("up", opts),
        };
    };
    const checkDir = (workDir: string) => {
        if (!fs.existsSync(path.join(workDir, "stacks"))) throw new Error(`${workDir} is not a project directory with stacks/`);
    };
    return {
        PulumiCommand: { get: async () => ({ command: "pulumi (offline)" }) },
        LocalWorkspace: {
            async selectStack(args) {
                checkDir(args.workDir);
                backend.calls.push(`selectStack ${args.stackName}`);
                if (!backend.stacks.has(backend.qualify(args.stackName))) throw new OfflineStackNotFoundError(args.stackName);
                return stackOf(args.stackName, args.workDir);
            },
            async createOrSelectStack(args) {
                checkDir(args.workDir);
                backend.calls.push(`createOrSelectStack ${args.stackName}`);
                const name = backend.qualify(args.stackName);
                if (!backend.stacks.has(name)) backend.stacks.set(name, {});
                return stackOf(args.stackName, args.workDir);
            },
        },
        StackNotFoundError: OfflineStackNotFoundError,
    };
}
