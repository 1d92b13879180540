/**
 * Red-team harness: runs the real program with a realistic edit applied, the
 * way an engineer editing `index.ts` or a component would, through the real
 * offline preview and the real policy pack.
 *
 * Each edited program lives in a temporary copy of the project (program files
 * only; node_modules is linked, so the SDK and providers are the same module
 * instances as everywhere else). The policy pack is never edited: it is the
 * thing under test.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluate, PolicyConfigFile, Violation } from "../../policies/evaluate";
import { forgetProjectModules, runPreview, Mode, PreviewResult } from "../../tools/preview";
import { createdStacks, PROJECT, ROOT } from "../helpers";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

/** One change to one file of the program, relative to the project root. */
export interface Edit {
    file: string;
    /** Inserted after the first occurrence of `after` (or appended when neither anchor is given). */
    after?: string;
    /** Inserted before the first occurrence of `before`. */
    before?: string;
    /** `[from, to]`: the first occurrence of `from` replaced by `to`. */
    replace?: [string, string];
    insert?: string;
}

/** A red-team case: a realistic edit, and the policy that must refuse it. */
export interface RedTeamCase {
    /** Stable, human-readable id: the kind of evasion and what it does. */
    name: string;
    edits: Edit[];
    /** The policy (or any of the policies) expected to report a mandatory violation. */
    expect: string | string[];
    /** Stack configuration to plan instead of the small default catalog. */
    stackConfig?: Record<string, unknown>;
    /** Extra policy-pack config merged over the stack's policy config. */
    policyConfig?: PolicyConfigFile;
    /** The stack planned (default `dev`): a shard (`dev.<shard>`) plans with the other shards' stacks created, none deployed. */
    stack?: string;
    /**
     * True when the decision depends on a value unknown before `up`: in
     * preview the case may then be reported as the engine reports it (an
     * advisory "can't run policy during preview"), not as a violation.
     */
    previewMayDefer?: boolean;
}

/**
 * What the program is made of. The program also reads the AWS facts the
 * policy pack owns and shares with it (policies/facts: documentation ids and
 * ranges, endpoint-policy support, zones, quotas) and the front-door contract
 * (policies/lib/front-door.ts): the pack is published on its own.
 */
const PROGRAM_ENTRIES = ["index.ts", "components", "services", "schemas", "Pulumi.yaml", "package.json", "tsconfig.json", "policies/lib", "policies/facts"];

/** A small catalog with every runtime and edges across them: quick to plan, wide enough to edit. */
export function redTeamCatalog(): Record<string, unknown> {
    return {
        "aws:region": "us-east-1",
        // The account the stack deploys into, declared as the README's first deploy does: the one the offline plan simulates.
        "aws:allowedAccountIds": [ACCOUNT_ID],
        // 5 service VPCs and the default VPC: above the default of 5 VPCs per Region, declared raised; reserved
        // Lambda concurrency needs the account's applied concurrency declared (new accounts have less than 1000).
        [`${PROJECT}:platform`]: { availabilityZones: 2, vpcCidr: "10.0.0.0/16", logRetentionDays: 14, protectStatefulResources: false, quotas: { "L-F678F1CE": 10, "L-B99A9384": 1000 } },
        [`${PROJECT}:services`]: [
            { name: "web", runtime: "fargate", port: 8080, image: "1.0.0", consumes: ["orders", "search"] },
            { name: "orders", runtime: "fargate", port: 8080, image: "1.0.0", consumes: ["notifier"] },
            { name: "payments", runtime: "fargate", port: 9443, image: "1.0.0" },
            { name: "notifier", runtime: "lambda", port: 8080, function: { code: "services/notifier", reservedConcurrency: 5 } },
            { name: "search", runtime: "eks", port: 8080, image: "1.0.0", instanceTypes: ["t3.large"], capacity: { min: 1, max: 2 } },
        ],
    };
}

/** The red-team catalog plus an ECS-on-EC2 service, whose tasks share hosts launched from a launch template. */
export function withEcsOnEc2(): Record<string, unknown> {
    const config = redTeamCatalog();
    const key = `${PROJECT}:services`;
    config[key] = [...(config[key] as unknown[]), { name: "batch", runtime: "ecs-ec2", port: 9000, image: "1.0.0", cpu: 1024, memory: 2048, instanceTypes: ["t3.large"], capacity: { min: 1, max: 2 } }];
    return config;
}

function apply(text: string, e: Edit): string {
    const at = (anchor: string) => {
        const i = text.indexOf(anchor);
        if (i < 0) throw new Error(`red-team edit of ${e.file}: anchor not found: ${JSON.stringify(anchor.slice(0, 80))}`);
        return i;
    };
    if (e.replace) {
        const i = at(e.replace[0]);
        return text.slice(0, i) + e.replace[1] + text.slice(i + e.replace[0].length);
    }
    const insert = e.insert ?? "";
    if (e.after !== undefined) {
        const i = at(e.after) + e.after.length;
        return text.slice(0, i) + insert + text.slice(i);
    }
    if (e.before !== undefined) {
        const i = at(e.before);
        return text.slice(0, i) + insert + text.slice(i);
    }
    return text + "\n" + insert + "\n";
}

let workDir: string | undefined;
let copies = 0;
/** The copy every case reuses, and what the last case changed in it (file → whether the project has it). */
let copy: { dir: string; edited: Map<string, boolean> } | undefined;
/** The files the last `editedProject` changed in the copy since the case before (undefined: a new copy). */
let changedInCopy: string[] | undefined;

/**
 * The program with the edits applied, in this process's one copy of it;
 * returns the copy's directory. The copy is made once: unedited files are
 * hard links to the project's (the copy's own paths, so Node loads them as
 * the copy's modules; a plain copy where links are not possible). For each
 * case, the files the previous case edited are linked back to the project's
 * (or removed, when the case had added them), then this case's edits are
 * written: an edited file is unlinked and written anew, so the project's
 * file is never written.
 *
 * Why one copy and not one per case: everything the loader and the
 * transpiler remember is kept by path (ts-node keeps each output it hands
 * back for source maps, by path, for the life of the process). A new copy
 * per case made every case's ~130 modules new paths to remember: about
 * 10 MB more live heap per plan, and a third of a red-team file's CPU in
 * garbage collection. Cases in one process never overlap (`planEdited`
 * runs them one at a time). A case reloads only the modules whose text may
 * differ from the case before (the files either case edited, and every
 * module that requires one of them: `changedSinceLastRun` of runPreview);
 * the others are reused, as the environment plan reuses them across shards.
 */
export function editedProject(edits: Edit[]): string {
    // Node remembers package.json files by path for the life of the process: an edit of anything but code gets a copy of its own.
    if (copy && edits.some(e => !/\.[cm]?[jt]s$/.test(e.file))) {
        forgetProjectModules(copy.dir);
        copy = undefined;
    }
    changedInCopy = copy ? [...copy.edited.keys(), ...edits.map(e => e.file)] : undefined;
    if (!copy) {
        workDir ??= fs.mkdtempSync(path.join(os.tmpdir(), "redteam-"));
        const dir = path.join(workDir, `program-${++copies}`);
        fs.mkdirSync(dir);
        for (const entry of PROGRAM_ENTRIES) {
            fs.mkdirSync(path.dirname(path.join(dir, entry)), { recursive: true });
            linkTree(path.join(ROOT, entry), path.join(dir, entry));
        }
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
        copy = { dir, edited: new Map() };
    }
    const { dir, edited } = copy;
    for (const [file, inProject] of edited) {
        fs.rmSync(path.join(dir, file), { force: true });
        if (inProject) linkTree(path.join(ROOT, file), path.join(dir, file));
    }
    edited.clear();
    for (const e of edits) {
        const file = path.join(dir, e.file);
        if (!edited.has(e.file)) edited.set(e.file, fs.existsSync(path.join(ROOT, e.file)));
        const text = apply(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "", e);
        fs.rmSync(file, { force: true });
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
    }
    return dir;
}

/** Recreates `from` at `to`: directories made, files hard-linked (copied when the file system refuses a link). */
function linkTree(from: string, to: string): void {
    if (fs.statSync(from).isDirectory()) {
        fs.mkdirSync(to);
        for (const name of fs.readdirSync(from)) linkTree(path.join(from, name), path.join(to, name));
        return;
    }
    try {
        fs.linkSync(from, to);
    } catch {
        fs.copyFileSync(from, to);
    }
}

/** Removes the copy (call from an `after` hook). */
export function cleanUp(): void {
    if (copy) forgetProjectModules(copy.dir);
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    workDir = undefined;
    copy = undefined;
}

/** The stack's policy config, as CI passes it with --policy-pack-config. */
function policyConfig(stack: string, extra: PolicyConfigFile = {}): PolicyConfigFile {
    const file = path.join(ROOT, "policies", "config", `${stack}.json`);
    const base = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as PolicyConfigFile) : {};
    return { ...base, ...extra };
}

/** Plans the edited program offline and evaluates the real pack over it. */
export async function planEdited(
    edits: Edit[],
    opts: { mode: Mode; stackConfig?: Record<string, unknown>; policyConfig?: PolicyConfigFile; stack?: string },
): Promise<PreviewResult> {
    const stack = opts.stack ?? "dev";
    // A shard is judged with its environment's pack configuration (tools/deploy/cli.ts: policies/config/<environment>.json).
    const config = policyConfig(stack.split(".")[0], opts.policyConfig);
    // One case at a time: the copy is shared (editedProject).
    const run = cases.then(() => runPreview({
        projectDir: editedProject(edits),
        // The modules of the previous case are reused but where the two cases' edits differ.
        changedSinceLastRun: changedInCopy,
        stack,
        mode: opts.mode,
        stackConfig: opts.stackConfig ?? redTeamCatalog(),
        // A shard's stack references name the environment's other shards: created, not deployed.
        stackOutputs: stack.includes(".") ? createdStacks(opts.stackConfig ?? redTeamCatalog()) : undefined,
        evaluatePolicies: (resources, ctx) => evaluate(resources, { mode: ctx.mode, config, stackConfig: ctx.stackConfig }),
    }));
    cases = run.then(() => undefined, () => undefined);
    return run;
}

/** The cases planned so far in this process, in order (see `planEdited`). */
let cases: Promise<void> = Promise.resolve();

export function mandatoryOf(vs: Violation[] | PreviewResult["violations"]): PreviewResult["violations"] {
    return vs.filter(v => v.enforcementLevel === "mandatory");
}

/** Asserts the case is refused: a mandatory violation of the expected policy (or, in preview where allowed, the engine's deferral). */
export function assertRefused(c: RedTeamCase, result: PreviewResult, mode: Mode): void {
    const expected = Array.isArray(c.expect) ? c.expect : [c.expect];
    const hits = mandatoryOf(result.violations).filter(v => expected.includes(v.policy));
    if (hits.length > 0) return;
    const deferred = result.violations.filter(v => expected.includes(v.policy) && /during preview/.test(v.message));
    if (mode === "preview" && c.previewMayDefer && deferred.length > 0) return;
    assert.fail(
        `${c.name} (${mode}): expected a mandatory violation of ${expected.join(" or ")}; got ` +
        JSON.stringify(result.violations.filter(v => !/during preview/.test(v.message)).map(v => `${v.enforcementLevel} ${v.policy}: ${v.message.split("\n").pop()}`), null, 1),
    );
}
