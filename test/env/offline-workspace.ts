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
import { formatDiagnostic, Mode, OFFLINE_ORGANIZATION, ResourceRecord, runPreview } from "../../tools/preview";
import { qualifiedStackName } from "../../tools/preview/cloud";
import { display, isWireSecret } from "../../tools/preview/values";
import { PROJECT, ROOT } from "../helpers";

/** What a deployment leaves in the backend besides its outputs: the accepted cross-shard connections (the lifecycle tests' view of AWS). */
export interface Deployment {
    /** `vpce-svc-…_vpce-…` of each VpcEndpointConnectionAccepter the stack holds. */
    accepted: string[];
}

/** One run of a stack's program: its wire outputs, or a rejection as the engine (or AWS) would fail it. */
export type ProgramRun = (req: {
    /** The short stack name (`dev.search`). */
    stack: string;
    mode: Mode;
    /** The workspace's directory: its stacks/ holds the stack's configuration. */
    workDir: string;
    /** Every stack of the backend, by qualified name, with its last deployed outputs ({} when never deployed). */
    stackOutputs: ReadonlyMap<string, Record<string, unknown>>;
    /** The run's output stream (the engine's: diagnostics included). */
    onOutput(out: string): void;
}) => Promise<Record<string, unknown> & { deployment?: Deployment }>;

type Wired = { services?: Record<string, { endpointServiceName?: string }>; declaredPrincipals?: Record<string, string[]>; endpoints?: Record<string, string> };

/**
 * The endpoint services of other stacks this run's new interface endpoints
 * ask for, refused as AWS refuses them when the service does not admit the
 * endpoint's account: an endpoint service is "not available to service
 * consumers" by default (PrivateLink guide, "Configure an endpoint service";
 * whom it admits is its provider's last deployment here), and
 * CreateVpcEndpoint then answers that the service does not exist
 * (`InvalidServiceName: The Vpc Endpoint Service '<name>' does not exist`,
 * the text reported in aws/aws-cdk#28851). An endpoint the stack already
 * had (its id among its deployed `endpoints`) is not created again, and the
 * stack's own endpoint services are updated before their dependents.
 */
function refusedEndpoints(stack: string, resources: ResourceRecord[], before: Wired, stackOutputs: ReadonlyMap<string, Record<string, unknown>>): string[] {
    const admitted = new Map<string, string[]>(); // endpoint service name -> principals its stack admits
    for (const [name, outputs] of stackOutputs) {
        // The stack's own services are updated before their dependents in the same update.
        if (name.endsWith(`/${stack}`)) continue;
        const o = outputs as Wired;
        for (const [service, exported] of Object.entries(o.services ?? {})) {
            if (exported.endpointServiceName) admitted.set(exported.endpointServiceName, o.declaredPrincipals?.[service] ?? []);
        }
    }
    const had = new Set(Object.values(before.endpoints ?? {}));
    return resources
        .filter(r => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && !had.has(String(r.id)))
        .filter(r => {
            const principals = admitted.get(String(r.inputs.serviceName));
            return principals !== undefined && !principals.includes("*") && !principals.includes(`arn:aws:iam::${String(r.outputs.ownerId)}:root`);
        })
        .map(r => `${stack}: creating EC2 VPC Endpoint (${r.name}): InvalidServiceName: The Vpc Endpoint Service '${String(r.inputs.serviceName)}' does not exist`);
}

let exclusive: Promise<unknown> = Promise.resolve();

/** Runs `fn` alone: the offline runs are serialised anyway (the SDK's state is global). */
function alone<T>(fn: () => Promise<T>): Promise<T> {
    const run = exclusive.then(fn);
    exclusive = run.then(() => undefined, () => undefined);
    return run;
}

/** The real program (this repository's), offline, with the policy pack: what `pulumi up` / `pulumi preview` would do. */
export const realProgram: ProgramRun = async ({ stack, mode, workDir, stackOutputs, onOutput }) => {
    let outputs: Record<string, unknown> = {};
    const file = stackFile(workDir, stack);
    const result = await alone(() => runPreview({
        projectDir: ROOT,
        stack,
        mode,
        stackConfig: configOf(fs.readFileSync(file, "utf8"), file),
        stackOutputs,
        evaluatePolicies: evaluate,
        onStackOutputs: o => { outputs = o; },
        // What the program logs reaches the update's output, as the engine streams a program's diagnostics.
        onDiagnostic: d => onOutput(formatDiagnostic(d)),
    }));
    if (result.errors) throw new Error(`${stack}: the service catalog has ${result.errors.length} problem(s): ${result.errors.map(e => `${e.path}: ${e.message}`).join("; ")}`);
    const mandatory = result.violations.filter(v => v.enforcementLevel === "mandatory");
    if (mandatory.length > 0) throw new Error(`${stack}: ${mode} failed: ${mandatory.length} mandatory policy violation(s): ${mandatory.map(v => `${v.policy}: ${v.message}`).join("; ")}`);
    if (mode === "up") {
        const self = [...stackOutputs].find(([q]) => q.endsWith(`/${stack}`))?.[1] ?? {};
        const refused = refusedEndpoints(stack, result.resources, self as Wired, stackOutputs);
        if (refused.length > 0) throw new Error(refused.join("\n"));
    }
    const accepted = result.resources
        .filter(r => r.type === "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter")
        .map(r => `${String(r.inputs.vpcEndpointServiceId)}_${String(r.inputs.vpcEndpointId)}`)
        .sort();
    return { ...outputs, deployment: { accepted } };
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
    /** Qualified name -> what its last deployment holds besides outputs. */
    readonly deployments = new Map<string, Deployment>();
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
            const { deployment, ...outputs } = await program({ stack: short, mode, workDir, stackOutputs: new Map(backend.stacks), onOutput: opts.onOutput });
            opts.onOutput(`${mode === "up" ? "Update" : "Preview"} of ${short} done`);
            if (mode === "up") {
                backend.stacks.set(name, outputs);
                if (deployment) backend.deployments.set(name, deployment);
            }
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
