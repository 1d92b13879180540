/**
 * The offline preview: runs a Pulumi program through the real Pulumi SDK
 * against a recording monitor and a fake cloud, the way the Node.js language
 * host runs it under `pulumi preview` / `pulumi up`, and returns what the
 * program would create.
 */
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import { format } from "util";
import * as vm from "vm";
import type * as MocksModule from "@pulumi/pulumi/runtime/mocks";
import type * as SettingsModule from "@pulumi/pulumi/runtime/settings";
import type * as ConfigModule from "@pulumi/pulumi/runtime/config";
import type * as StackModule from "@pulumi/pulumi/runtime/stack";
import { ACCOUNT_ID, FakeCloud, OfflineFallback, qualifiedStackName } from "./cloud";
import { DEPLOYING_ACCOUNT_KEY } from "../../policies/facts/aws-accounts";
import { ConfigMemo, judgedConfig, readProject, readStackConfig, simulatedAccount, toProgramConfig } from "./config";
import { createRecordingMonitor, Mode, ProtoModules, ResourceRecord } from "./monitor";
import { maskSecrets } from "./values";
import { catalogReleaseWorld, World } from "./world";
// One row of a quota table: the project's policy pack owns the shape (a
// type-only import: nothing of the pack loads with the preview).
import type { QuotaRow } from "../../policies/lib/quotas";
// The monthly cost estimate's shape (tools/insights/cost.ts; type-only).
import type { CostEstimate } from "../insights/cost";

export { Mode, ResourceRecord, ResourceOptionsRecord } from "./monitor";
export { StackNotFoundError } from "./config";
export { UNKNOWN, SECRET } from "./values";
export { World } from "./world";
export type { OfflineFallback } from "./cloud";
export type { QuotaRow };

export interface Violation {
    policy: string;
    enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
    urn: string | null;
    message: string;
    /** True for the engine's "can't run policy during preview" advisory (a value unknown until `up`). */
    unknown?: boolean;
}

export type EvaluatePolicies = (
    resources: ResourceRecord[],
    context: { mode: Mode; config: Record<string, string>; stackConfig?: Record<string, string> },
) => Promise<Violation[]>;

/** The project's reachability analysis (policies/evaluate.ts `reachability`): a JSON-able report. */
export type AnalyzeReachability = (
    resources: ResourceRecord[],
    context: { mode: Mode; stackConfig?: Record<string, string> },
) => Promise<unknown>;
/** Counts the plan's quota needs; the project's policies/evaluate.ts may export one as `quotaReport`. */
export type QuotaReport = (resources: ResourceRecord[], stackConfig: Record<string, string>) => QuotaRow[];
/** Prices the plan (tools/insights/cost.ts `estimateMonthlyCost`); undefined when it cannot (no prices for the region). */
export type EstimateCost = (resources: ResourceRecord[], stackConfig: Record<string, string>) => CostEstimate | undefined;

/** `evaluatePolicies` threw: the program ran, the policies did not. */
export class PolicyEvaluationError extends Error {
    constructor(public readonly cause: unknown) {
        super(`policy evaluation failed: ${cause instanceof Error ? cause.message : String(cause)}`);
        this.name = "PolicyEvaluationError";
    }
}

export interface CatalogErrorRecord {
    path: string;
    message: string;
}

/**
 * A value the program says only the stack's owner can know (the program
 * exports them as the stack output `needsInput`; see
 * components/catalog/needsInput.ts). Listed, not a violation.
 */
export interface NeedsInputRecord {
    path: string;
    service?: string;
    note: string;
    what: string;
    howToFind: string;
    set: string[];
    none: { command: string; means: string };
    /** What the offline plan planned it as, when not as absent (the deploying account: the simulated one). */
    plannedAs?: string;
}

/**
 * Set to "1" while the program runs under this tool, so a program can tell an
 * offline run from `pulumi up` (both run with dryRun false in `--mode up`).
 */
export const OFFLINE_PREVIEW_ENV = "PRIVATELINK_OFFLINE_PREVIEW";

/**
 * Set to "1" while a program runs with `reuseModules` (many runs of one
 * program over one configuration in one process: the environment plan), so
 * the program may reuse what it derived from identical configuration (this
 * project: the validated catalog, components/catalog/validate.ts).
 */
export const REUSE_ENV = "PRIVATELINK_CATALOG_MEMO";

export interface PreviewResult {
    stack: string;
    project: string;
    mode: Mode;
    resources: ResourceRecord[];
    /** The stack's outputs (display form: "<unknown>", "[secret]"). */
    outputs: Record<string, unknown>;
    violations: Violation[];
    /** The reachability analysis of the plan, when the project has one (docs/reachability.md). */
    reachability?: unknown;
    /** What the plan needs of each AWS service quota, when the project counts it. */
    quotas?: QuotaRow[];
    /** The monthly cost estimate of the plan (docs/cost.md), when asked for. */
    cost?: CostEstimate;
    summary: { total: number; byType: Record<string, number> };
    /** Set when the program rejected its service catalog; then `resources` is empty. */
    errors?: CatalogErrorRecord[];
    /** Values the stack still needs (the program's `needsInput` output, taken out of `outputs`); empty when none. */
    needsInput: NeedsInputRecord[];
    /** What the program logged and printed while it ran, in order. */
    diagnostics?: Diagnostic[];
    /**
     * Answers the fake cloud gave without state or source (tools/preview/cloud.ts):
     * each with what it assumed and why; empty when every answer was modelled.
     */
    offlineFallbacks: OfflineFallback[];
    /** The world after this run: an `up` added what it created (pass it to the next run of a lifecycle). */
    world: World;
    /** What the world held when the run started (`World.describe()`): shown in the plan's text. */
    startedFrom?: string[];
}

export interface RunPreviewOptions {
    /** The Pulumi project directory (holding Pulumi.yaml); default: this repository's root. */
    projectDir?: string;
    /** Stack name; default "dev". */
    stack?: string;
    /** "preview" (cloud-computed outputs unknown) or "up" (everything known); default "preview". */
    mode?: Mode;
    /** The `config:` map of a stack file, used instead of reading one. */
    stackConfig?: Record<string, unknown>;
    /** A stack file to read instead of `<stackConfigDir>/Pulumi.<stack>.yaml`. */
    configFile?: string;
    evaluatePolicies?: EvaluatePolicies;
    /**
     * Tell the program it runs offline (OFFLINE_PREVIEW_ENV=1); default true.
     * false runs it as `pulumi preview` / `pulumi up` would (tests of what a
     * real run refuses).
     */
    announceOffline?: boolean;
    analyzeReachability?: AnalyzeReachability;
    quotaReport?: QuotaReport;
    estimateCost?: EstimateCost;
    /** The account the fake cloud answers as (default: the first account the stack declares in aws:allowedAccountIds, else the cloud's ACCOUNT_ID; config.ts simulatedAccount). */
    accountId?: string;
    /**
     * What exists in the accounts before this run (tools/preview/world.ts):
     * ECR repositories and images, SSM parameters, what earlier runs created.
     * The run does not change the given world; `PreviewResult.world` is the
     * state after it. Default: `freshAccount` ? a fresh world : the stack's
     * released world (`catalogReleaseWorld`: its catalog's tags pushed to its
     * repositories, as after the README's first deploy).
     */
    world?: World;
    /** Plan against a fresh world, where nothing exists yet (the first `up` in an account). Ignored when `world` is given. */
    freshAccount?: boolean;
    /**
     * Other stacks' outputs (wire form) by `<org>/<project>/<stack>`: what
     * each `StackReference` reads (tools/preview/env.ts passes the other
     * shards' offline outputs). A stack not given reads as having no outputs.
     */
    stackOutputs?: ReadonlyMap<string, Record<string, unknown>>;
    /** Receives this stack's outputs in wire form (for other stacks' references), when the program ran. */
    onStackOutputs?: (outputs: Record<string, unknown>) => void;
    /**
     * Re-run only the program's entry module, reusing its other modules as
     * loaded by the previous run (for many runs of one program: the
     * environment plan). Default false: every project module afresh.
     */
    reuseModules?: boolean;
    /**
     * Files of the project (paths relative to it) whose text may differ from
     * the previous run of this project in this process. Given, the run reuses
     * the modules that run loaded except these files, every module that
     * requires one of them, and the entry module, which run afresh. For many
     * runs of one program edited a little each time (the red-team suite);
     * the program's modules are already reused across runs by the
     * environment plan (`reuseModules`), so they hold no state of a run.
     */
    changedSinceLastRun?: readonly string[];
    /**
     * Told what the run is doing, for a progress line (the command line shows
     * one on a terminal): while the program runs, about four times a second
     * with the resources registered so far; then once per later phase.
     */
    onProgress?: (progress: PreviewProgress) => void;
    /**
     * Told each diagnostic as the program logs it (the command lines print
     * them on stderr); either way they are kept in `result.diagnostics`.
     */
    onDiagnostic?: (diagnostic: Diagnostic) => void;
}

/**
 * What the program printed while it ran: the SDK's log calls
 * (`pulumi.log.warn("...")` prints `warning: [runtime] ...` when no engine is
 * connected, @pulumi/pulumi log/index.js) and the program's own console
 * output. The engine shows the first kind as the update's diagnostics;
 * offline they are kept with the plan, and printed only by a caller that
 * asks (`onDiagnostic`), so a test run stays quiet.
 */
export interface Diagnostic {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
}

/** `warning: [runtime] text` for a diagnostic, as the SDK prints it without an engine; console output as printed. */
export function formatDiagnostic(d: Diagnostic & { raw?: boolean }): string {
    return d.raw ? d.message : `${d.severity}: [runtime] ${d.message}`;
}

export interface PreviewProgress {
    phase: "program" | "policies" | "reachability" | "quotas" | "cost";
    /** Resources registered so far. */
    resources: number;
}

/** The organization of every offline stack (as `pulumi.getOrganization()` answers under the preview). */
export const OFFLINE_ORGANIZATION = "organization";

/** The nearest directory above this file holding a Pulumi.yaml: the repository root. */
export function defaultProjectDir(): string {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        const up = path.dirname(dir);
        if (up === dir) return process.cwd();
        dir = up;
    }
    return dir;
}

interface Store {
    supportsSecrets: boolean;
    supportsResourceReferences: boolean;
    supportsOutputValues: boolean;
    supportsAliasSpecs: boolean;
    supportsDeletedWith: boolean;
    logErrorCount: number;
    leakCandidates: Set<unknown>;
    stackResource: unknown;
    settings: { options: { rootDirectory?: string } };
}

interface Sdk {
    debuggable: { debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> };
    mocks: typeof MocksModule;
    settings: typeof SettingsModule;
    config: typeof ConfigModule;
    stack: typeof StackModule;
    state: { getStore(): Store };
    proto: ProtoModules;
}

/** The SDK copy the program itself will load (resolved from the project directory). */
function loadSdk(projectDir: string): Sdk {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK copy the program loads, resolved at run time
    const from = (m: string) => require(require.resolve(m, { paths: [projectDir] }));
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK copy the program loads, resolved at run time
    const inSdk = (m: string) => require(path.join(sdkDir, m));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK copy the program loads, resolved at run time
    const structPb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }));
    return {
        debuggable: inSdk("runtime/debuggable"),
        mocks: from("@pulumi/pulumi/runtime/mocks"),
        settings: from("@pulumi/pulumi/runtime/settings"),
        config: from("@pulumi/pulumi/runtime/config"),
        stack: from("@pulumi/pulumi/runtime/stack"),
        state: inSdk("runtime/state"),
        proto: { InvokeResponse: inSdk("proto/provider_pb").InvokeResponse, Struct: structPb.Struct },
    };
}

/**
 * Directories of a project that hold no part of the program: their modules
 * (the tests, the policy pack, tools such as this one) keep their identity
 * across runs.
 */
const NOT_PROGRAM = ["node_modules", "test", "tests", "policies", "tools"];

/**
 * Forgets the project's own modules (not node_modules, tests, policies or
 * tools) so the program runs afresh; with `onlyMain`, only the program's
 * entry module (its other modules keep their identity: the environment plan
 * runs one program many times and reuses them).
 */
function clearProjectModules(projectDir: string, onlyMain?: string): void {
    const root = projectDir.endsWith(path.sep) ? projectDir : projectDir + path.sep;
    const keep = NOT_PROGRAM.map(d => root + d + path.sep);
    const self = __dirname + path.sep;
    const dropped = new Set<NodeJS.Module>();
    const main = onlyMain ? tryResolve(onlyMain) : undefined;
    if (main !== undefined) {
        // The entry module is required from here: unlink it from this module only.
        const entry = require.cache[main];
        if (!entry) return;
        delete require.cache[main];
        module.children = module.children.filter(c => c !== entry);
        return;
    }
    for (const key of Object.keys(require.cache)) {
        if (
            (main === undefined || key === main) &&
            key.startsWith(root) &&
            !key.includes(`${path.sep}node_modules${path.sep}`) &&
            !key.startsWith(self) &&
            !keep.some(k => key.startsWith(k))
        ) {
            dropped.add(require.cache[key]!);
            delete require.cache[key];
        }
    }
    if (dropped.size === 0) return;
    // A module stays in its parent's `children` after leaving the cache, and
    // with it everything the last run built: unlink it too.
    for (const m of Object.values(require.cache)) {
        if (m && m.children.some(c => dropped.has(c))) m.children = m.children.filter(c => !dropped.has(c));
    }
}

/**
 * Forgets the given files of the project and every module that requires one
 * of them, directly or not (a module holds what it required), so they load
 * afresh; the project's other modules keep their identity. Files are paths
 * relative to the project, or absolute.
 */
function dropChangedModules(projectDir: string, files: readonly string[]): void {
    const root = projectDir.endsWith(path.sep) ? projectDir : projectDir + path.sep;
    const requiredBy = new Map<string, string[]>();
    for (const [key, m] of Object.entries(require.cache)) {
        if (!m || !key.startsWith(root)) continue;
        for (const c of m.children) {
            if (!c.filename.startsWith(root)) continue;
            const list = requiredBy.get(c.filename);
            if (list) list.push(key);
            else requiredBy.set(c.filename, [key]);
        }
    }
    const pending = files.map(f => path.resolve(projectDir, f));
    const dropped = new Set<NodeJS.Module>();
    const seen = new Set<string>();
    while (pending.length > 0) {
        const file = pending.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        const m = require.cache[file];
        if (m) {
            dropped.add(m);
            delete require.cache[file];
        }
        pending.push(...(requiredBy.get(file) ?? []));
    }
    if (dropped.size === 0) return;
    // Only the project's modules and this one (which requires the entry) can have required them.
    for (const m of [module, ...Object.entries(require.cache).filter(([k]) => k.startsWith(root)).map(([, m]) => m)]) {
        if (m && m.children.some(c => dropped.has(c))) m.children = m.children.filter(c => !dropped.has(c));
    }
}

/** Forgets every module of a project (its program and the rest), e.g. a copy about to be deleted. */
export function forgetProjectModules(projectDir: string): void {
    const root = projectDir.endsWith(path.sep) ? projectDir : projectDir + path.sep;
    dropChangedModules(projectDir, Object.keys(require.cache).filter(k => k.startsWith(root) && !k.includes(`${path.sep}node_modules${path.sep}`)));
}

function tryResolve(file: string): string | undefined {
    try {
        return require.resolve(file);
    } catch {
        return undefined;
    }
}

interface TsNodeService {
    compile(code: string, fileName: string, lineOffset?: number): string;
    previewMemoised?: boolean;
}

/**
 * Every run requires the project's modules afresh; when ts-node is the
 * transpiler, remember its output per file so unchanged files are not
 * transpiled again on the next run in this process.
 */
function memoiseTranspiler(): void {
    const service = (process as unknown as Record<symbol, TsNodeService | undefined>)[Symbol.for("ts-node.register.instance")];
    if (!service || service.previewMemoised) return;
    const compile = service.compile.bind(service);
    const memo = new Map<string, { code: string; output: string }>();
    service.compile = (code, fileName, lineOffset = 0) => {
        const hit = memo.get(fileName);
        if (hit && hit.code === code && lineOffset === 0) return hit.output;
        const output = compile(code, fileName, lineOffset);
        if (lineOffset === 0) memo.set(fileName, { code, output });
        return output;
    };
    service.previewMemoised = true;
}

interface InternalModule {
    exports: unknown;
    require(id: string): unknown;
}
type CompileFn = (this: InternalModule, content: string, filename: string) => unknown;
const moduleInternals = Module as unknown as {
    prototype: { _compile: CompileFn };
    _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
    _cache: unknown;
    _extensions: unknown;
};
const compiledEntries = new Map<string, { content: string; wrapper: (...args: unknown[]) => unknown }>();

/**
 * With `reuseModules` the entry module runs afresh on every run, from the
 * same source: compile its module wrapper once per source text and call it
 * again with a fresh module, as Node's loader would (the wrapper's arguments
 * are those of Node's CommonJS module wrapper). Compiling it anew took about
 * 1.6 ms a run, 5% of a shard's run. Returns the function that restores the
 * loader.
 */
function compileEntryOnce(main: string): () => void {
    const original = moduleInternals.prototype._compile;
    moduleInternals.prototype._compile = function (this: InternalModule, content: string, filename: string) {
        if (filename !== main) return original.call(this, content, filename);
        let entry = compiledEntries.get(filename);
        if (!entry || entry.content !== content) {
            const wrapper = vm.compileFunction(content, ["exports", "require", "module", "__filename", "__dirname"], { filename }) as (...args: unknown[]) => unknown;
            entry = { content, wrapper };
            compiledEntries.set(filename, entry);
        }
        const self = this as InternalModule;
        const requireFn = Object.assign((id: string) => self.require(id), {
            resolve: (request: string, options?: unknown) => moduleInternals._resolveFilename(request, self, false, options),
            cache: moduleInternals._cache,
            extensions: moduleInternals._extensions,
            main: require.main,
        });
        return entry.wrapper.call(self.exports, self.exports, requireFn, self, filename, path.dirname(filename));
    };
    return () => {
        moduleInternals.prototype._compile = original;
    };
}

function isCatalogError(err: unknown): err is Error & { problems: CatalogErrorRecord[] } {
    // Same test as components/catalog/errors.ts `isCatalogValidationError`; by name,
    // since the program's copy of the class is loaded afresh on every run.
    return err instanceof Error && err.name === "CatalogValidationError" && Array.isArray((err as { problems?: unknown }).problems);
}

export function summarise(resources: ResourceRecord[]): PreviewResult["summary"] {
    const byType: Record<string, number> = {};
    for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
    const sorted: Record<string, number> = {};
    for (const t of Object.keys(byType).sort()) sorted[t] = byType[t];
    return { total: resources.length, byType: sorted };
}

const SDK_FRAME = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
const SDK_CAPTURES = new Set(["debuggablePromise", "callsites"]);
/** One shared string, so the SDK's hundreds of thousands of captures allocate nothing. */
const CHEAP_STACK = "Error";

/**
 * The SDK formats a stack trace for every internal promise (leak debugging)
 * and a full one for every resource (source positions the engine shows);
 * with ts-node each goes through source maps, which dominates the run time.
 * The preview records neither, so while a program runs, those two captures
 * get a one-line string; every other stack (the program's own errors) is
 * formatted as before. Returns the function that restores the original.
 */
export function installCheapSdkStacks(): () => void {
    const original = Error.prepareStackTrace;
    Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]) => {
        if (frames.length === 0) return err.message ? `${err.name}: ${err.message}` : CHEAP_STACK;
        if (SDK_CAPTURES.has(frames[0].getFunctionName() ?? "") && (frames[0].getFileName() ?? "").includes(SDK_FRAME)) {
            return CHEAP_STACK;
        }
        if (original) return original(err, frames);
        return `${err.name}${err.message ? `: ${err.message}` : ""}${frames.map(f => `\n    at ${f}`).join("")}`;
    };
    return () => {
        Error.prepareStackTrace = original;
    };
}

/**
 * The SDK wraps each of its internal promises (several per output property)
 * in `debuggablePromise`, which records a stack trace and tracks the promise
 * for the leak report printed at process exit. That is debugging aid, not
 * engine behaviour, and it is most of the SDK's cost per resource; while a
 * program runs the wrapper passes promises through. A program that can never
 * finish is still reported (see `onBeforeExit`). PREVIEW_SDK_DEBUG=1 keeps it.
 */
export function installPlainSdkPromises(sdk: Pick<Sdk, "debuggable">): () => void {
    const original = sdk.debuggable.debuggablePromise;
    sdk.debuggable.debuggablePromise = <T>(p: Promise<T>) => p;
    return () => {
        sdk.debuggable.debuggablePromise = original;
    };
}

/**
 * While a program runs, what it prints goes to `sink` instead of the
 * terminal: lines the SDK's log prints without an engine
 * (`<severity>: [runtime] <message>`) as that diagnostic, anything else the
 * program prints as-is (`raw`). Returns the function that restores the console.
 */
function captureConsole(sink: (d: Diagnostic & { raw?: boolean }) => void): () => void {
    const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
    const to = (fallback: Diagnostic["severity"]) => (...args: unknown[]) => {
        const text = format(...args);
        const m = /^(debug|info|warning|error): \[runtime\] ([\s\S]*)$/.exec(text);
        sink(m ? { severity: m[1] as Diagnostic["severity"], message: m[2] } : { severity: fallback, message: text, raw: true });
    };
    Object.assign(console, { log: to("info"), info: to("info"), warn: to("warning"), error: to("error"), debug: to("debug") });
    return () => {
        Object.assign(console, saved);
    };
}

let queue: Promise<unknown> = Promise.resolve();

const configMemo: ConfigMemo = new WeakMap();

/**
 * Runs the program once. Calls are serialised (the SDK's state is global), so
 * it is safe to call many times in one process.
 */
export function runPreview(options: RunPreviewOptions = {}): Promise<PreviewResult> {
    const run = queue.then(() => runOnce(options));
    queue = run.then(
        () => undefined,
        () => undefined,
    );
    return run;
}

async function runOnce(options: RunPreviewOptions): Promise<PreviewResult> {
    const project = readProject(options.projectDir ?? defaultProjectDir());
    const stack = options.stack ?? "dev";
    const mode: Mode = options.mode ?? "preview";
    const stackConfig = options.stackConfig ?? readStackConfig(project, stack, options.configFile);
    // Many runs over the same configuration objects (the environment plan) convert each structured value once.
    const { config, secretKeys } = toProgramConfig(project.name, stackConfig, project.defaults, options.reuseModules ? configMemo : undefined);

    const sdk = loadSdk(project.dir);
    const region = config["aws:region"] ?? "us-east-1";
    // The one account this run simulates deploying into (the declared one, unless a caller chooses).
    const simulated = simulatedAccount(config, ACCOUNT_ID, options.accountId);
    const world = options.world
        ? options.world.clone()
        : options.freshAccount ? World.fresh() : catalogReleaseWorld(config, { project: project.name, stack, account: simulated.account, region });
    const startedFrom = world.describe();
    const cloud = new FakeCloud({
        region,
        accountId: simulated.account,
        world,
        applies: mode === "up",
        deferRefusals: true,
        stackOutputs: options.stackOutputs,
        organization: OFFLINE_ORGANIZATION,
        project: project.name,
    });
    const monitor = createRecordingMonitor(sdk.mocks.MockMonitor, sdk.proto, cloud, { project: project.name, stack, mode });

    sdk.settings.setMockOptions(monitor, project.name, stack, mode === "preview", OFFLINE_ORGANIZATION);
    const store = sdk.state.getStore();
    store.settings.options.rootDirectory = project.dir;
    sdk.config.setAllConfig(config, secretKeys);
    const onlyMain = options.reuseModules ? project.main : undefined;
    if (options.changedSinceLastRun && !onlyMain) dropChangedModules(project.dir, [...options.changedSinceLastRun, tryResolve(project.main) ?? project.main]);
    else clearProjectModules(project.dir, onlyMain);
    memoiseTranspiler();
    const mainFile = onlyMain ? tryResolve(onlyMain) : undefined;
    const restoreLoader = mainFile ? compileEntryOnce(mainFile) : () => undefined;

    // Errors that escape the program (rejections nobody awaited) fail the run,
    // as the language host reports them; swap out other listeners meanwhile.
    // A run that can no longer finish (the event loop ran dry while the
    // program still waited) fails too, instead of silently exiting.
    const escaped: unknown[] = [];
    let abort: (err: unknown) => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
        abort = reject;
    });
    aborted.catch(() => undefined);
    const onRejection = (reason: unknown) => {
        escaped.push(reason);
        abort(reason);
    };
    const onBeforeExit = () => abort(new Error("the program never finished: it waits on values that will not resolve (a cycle between resources, or a promise the program never settles)"));
    const previousListeners = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", onRejection);
    process.on("beforeExit", onBeforeExit);
    // The program runs from its project directory. Worker threads (the
    // environment plan's pool) cannot change it: their pool already did.
    const previousCwd = process.cwd();
    if (previousCwd !== project.dir) process.chdir(project.dir);
    const previousReuse = process.env[REUSE_ENV];
    if (options.reuseModules) process.env[REUSE_ENV] = "1";
    const previousOffline = process.env[OFFLINE_PREVIEW_ENV];
    if (options.announceOffline === false) delete process.env[OFFLINE_PREVIEW_ENV];
    else process.env[OFFLINE_PREVIEW_ENV] = "1";
    // PREVIEW_SDK_DEBUG=1 keeps the SDK's own stack captures and promise tracking (for debugging the SDK).
    const sdkDebug = process.env.PREVIEW_SDK_DEBUG === "1";
    const restoreStacks = sdkDebug ? () => undefined : installCheapSdkStacks();
    const restorePromises = sdkDebug ? () => undefined : installPlainSdkPromises(sdk);

    let programError: unknown;
    const diagnostics: Array<Diagnostic & { raw?: boolean }> = [];
    const restoreConsole = captureConsole(d => {
        diagnostics.push(d);
        options.onDiagnostic?.(d);
    });
    const progress = options.onProgress;
    // Told once as the program starts, about four times a second while it runs, and once when it ends.
    progress?.({ phase: "program", resources: 0 });
    const ticker = progress ? setInterval(() => progress({ phase: "program", resources: monitor.count }), 250) : undefined;
    // Never keeps the process alive: a program that cannot finish is still found (onBeforeExit).
    ticker?.unref();
    try {
        await Promise.race([
            aborted,
            sdk.stack.runInPulumiStack(async () => {
                // As the language host does for a CommonJS program: require it, call it
                // if it exported a function, and the awaited result is the stack outputs.
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const programExport = require(project.main);
                return await (programExport instanceof Function ? programExport() : programExport);
            }),
        ]);
        // Wait for every outstanding registration (and output registration).
        await Promise.race([aborted, sdk.settings.disconnect()]);
    } catch (err) {
        programError = err;
    }
    try {
        await new Promise(resolve => setImmediate(resolve));
    } finally {
        restoreConsole();
        if (ticker) {
            clearInterval(ticker);
            progress?.({ phase: "program", resources: monitor.count });
        }
        restoreStacks();
        restorePromises();
        restoreLoader();
        if (process.cwd() !== previousCwd) process.chdir(previousCwd);
        if (previousOffline === undefined) delete process.env[OFFLINE_PREVIEW_ENV];
        else process.env[OFFLINE_PREVIEW_ENV] = previousOffline;
        if (previousReuse === undefined) delete process.env[REUSE_ENV];
        else process.env[REUSE_ENV] = previousReuse;
        if (options.changedSinceLastRun && !onlyMain) dropChangedModules(project.dir, [tryResolve(project.main) ?? project.main]);
        else clearProjectModules(project.dir, onlyMain);
        process.removeListener("beforeExit", onBeforeExit);
        process.removeListener("unhandledRejection", onRejection);
        for (const l of previousListeners) process.on("unhandledRejection", l);
        // The SDK reports promises still pending at process exit as leaks; they
        // belong to this run, which is over. Dropping the stack resource (which
        // holds the whole resource tree) lets the run's objects be collected.
        store.leakCandidates = new Set();
        store.stackResource = undefined;
    }

    const base = { stack, project: project.name, mode };
    const failure = programError ?? escaped.find(isCatalogError) ?? escaped[0];
    if (isCatalogError(failure)) {
        return { ...base, resources: [], outputs: {}, violations: [], summary: summarise([]), errors: failure.problems.map(p => ({ path: p.path, message: p.message })), needsInput: [], offlineFallbacks: cloud.fallbacks(), world, diagnostics };
    }
    if (failure !== undefined) throw failure;
    if (store.logErrorCount > 0) {
        throw new Error(`the program logged ${store.logErrorCount} error(s)`);
    }

    options.onStackOutputs?.(monitor.stackOutputState());
    // After an `up`, the backend holds the stack's outputs (what a StackReference to it reads).
    if (mode === "up") world.stacks.set(qualifiedStackName(stack, { organization: OFFLINE_ORGANIZATION, project: project.name }), monitor.stackOutputState());
    const resources = monitor.toRecords();
    let violations: Violation[] = [];
    if (options.evaluatePolicies) {
        progress?.({ phase: "policies", resources: resources.length });
        // The pack judges secret values as the engine hands them over (in
        // plaintext); what it reports is printed, so secrets are masked there.
        try {
            const judged = judgedConfig(config, simulated);
            violations = await options.evaluatePolicies(monitor.toRecords({ revealSecrets: true }), { mode, config: judged, stackConfig: judged });
        } catch (err) {
            throw new PolicyEvaluationError(err);
        }
        const secrets = monitor.secretValues();
        if (secrets.size > 0) {
            violations = violations.map(v => ({ ...v, message: maskSecrets(v.message, secrets) }));
        }
    }
    // `pulumi up` runs the pack in its preview first: a mandatory violation stops
    // it before any create. Otherwise AWS's first create-time refusal fails it.
    const refusals = cloud.refusals();
    if (refusals.length > 0 && !violations.some(v => v.enforcementLevel === "mandatory")) throw refusals[0];
    const { needsInput, ...outputs } = monitor.stackOutputs();
    const result: PreviewResult = {
        ...base, resources, outputs, violations, summary: summarise(resources),
        needsInput: (Array.isArray(needsInput) ? (needsInput as NeedsInputRecord[]) : []).map(n =>
            simulated.pending && n.path === DEPLOYING_ACCOUNT_KEY ? { ...n, plannedAs: `the simulated account ${simulated.account} (the account this offline plan deploys into; the policy pack judges the stack as declaring it)` } : n),
        offlineFallbacks: cloud.fallbacks(),
        world,
        startedFrom,
        diagnostics,
    };
    if (options.analyzeReachability) {
        progress?.({ phase: "reachability", resources: resources.length });
        try {
            result.reachability = await options.analyzeReachability(resources, { mode, stackConfig: config });
        } catch (err) {
            throw new PolicyEvaluationError(err);
        }
    }
    if (options.quotaReport) {
        progress?.({ phase: "quotas", resources: resources.length });
        try {
            result.quotas = options.quotaReport(resources, config);
        } catch (err) {
            throw new PolicyEvaluationError(err);
        }
    }
    if (options.estimateCost) {
        progress?.({ phase: "cost", resources: resources.length });
        const cost = options.estimateCost(resources, config);
        if (cost) result.cost = cost;
    }
    return result;
}
