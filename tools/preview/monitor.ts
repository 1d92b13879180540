/**
 * The recording resource monitor: stands where the Pulumi engine would, takes
 * every registration the SDK sends, answers it from the fake cloud the way the
 * engine answers a preview or an update, and keeps what it saw.
 *
 * Lean on purpose: per registration it converts the request's inputs once,
 * hashes the URN a few times and keeps the wire-form objects; display forms
 * are made once, at the end (see `toRecords`).
 */
import type { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { assumedRoleArn, FakeCloud } from "./cloud";
import { defined, display, isWireSecret, plain, secretStrings, UNKNOWN, UNKNOWN_SENTINEL, Wire, wireSecret } from "./values";
import type { CompleteRecord } from "../../policies/lib/plan/record";

export type Mode = "preview" | "up";

/** A resource as the monitor records it: the project's one record shape (policies/lib/plan/record.ts), every field present. */
export type ResourceRecord = CompleteRecord;
export type ResourceOptionsRecord = CompleteRecord["options"];

/** What the monitor keeps per resource: wire-form values, converted for display at the end. */
interface WireRecord extends Omit<ResourceRecord, "id" | "inputs" | "outputs"> {
    id: string;
    inputs: Record<string, Wire>;
    /** The state handed back to the SDK (custom resources), or registered outputs (components). */
    state: Record<string, Wire>;
}

type Callback = (err: unknown, resp?: unknown) => void;
/** The protobuf request objects the SDK builds; only their getters are used. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Req = any;

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The engine's URN: the parent's whole qualified type chain, except the root stack's, prefixes the type. */
export function engineUrn(stack: string, project: string, parent: string | null, type: string, name: string): string {
    let qualified = type;
    if (parent) {
        const parentType = parent.split("::")[2];
        if (parentType !== ROOT_STACK_TYPE) qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function providerUrn(ref: string): string | null {
    if (!ref) return null;
    const i = ref.lastIndexOf("::");
    return i > 0 ? ref.slice(0, i) : ref;
}

function aliasOf(a: Req): string | Record<string, unknown> {
    if (a.hasUrn()) return a.getUrn();
    const s = a.getSpec();
    const spec: Record<string, unknown> = {};
    if (s.getName()) spec.name = s.getName();
    if (s.getType()) spec.type = s.getType();
    if (s.getStack()) spec.stack = s.getStack();
    if (s.getProject()) spec.project = s.getProject();
    if (s.getParenturn()) spec.parentUrn = s.getParenturn();
    if (s.getNoparent()) spec.noParent = true;
    return spec;
}

/** A struct-like object: the SDK only calls `toJavaScript()` on what the monitor returns. */
function structLike(v: Record<string, Wire>): { toJavaScript(): Record<string, Wire> } {
    return { toJavaScript: () => v };
}

function rpcError(message: string): Error & { details: string } {
    const err = new Error(message) as Error & { details: string };
    err.details = message;
    return err;
}

/** Protobuf modules the monitor needs to answer invokes, taken from the program's own SDK copy. */
export interface ProtoModules {
    InvokeResponse: new () => { setReturn(s: unknown): void };
    Struct: { fromJavaScript(v: unknown): unknown };
}

export interface RecordingMonitor {
    /**
     * Every resource in registration order, display form (unknowns and secrets
     * spelled out). With `revealSecrets`, secret values are given in plaintext,
     * as the engine gives them to a policy pack: for evaluation only, never printed.
     */
    toRecords(opts?: { revealSecrets?: boolean }): ResourceRecord[];
    /** Every string held in a secret anywhere in the recorded inputs and state. */
    secretValues(): Set<string>;
    /** The root stack's registered outputs, display form. */
    stackOutputs(): Record<string, unknown>;
    /** The same in wire form (unknowns and secrets as the engine stores them): what a StackReference to this stack reads. */
    stackOutputState(): Record<string, unknown>;
    readonly count: number;
}

/**
 * Creates the monitor as a subclass of the SDK's own `MockMonitor` (the class
 * of the SDK copy the program uses).
 */
export function createRecordingMonitor(
    Base: typeof MockMonitor,
    proto: ProtoModules,
    cloud: FakeCloud,
    opts: { project: string; stack: string; mode: Mode },
): RecordingMonitor & MockMonitor {
    const preview = opts.mode === "preview";

    class Recording extends Base implements RecordingMonitor {
        private readonly records = new Map<string, WireRecord>();
        private stackUrn: string | null = null;

        constructor() {
            super(cloud);
        }

        get count(): number {
            return this.records.size;
        }

        private add(rec: WireRecord): void {
            if (this.records.has(rec.urn)) {
                throw rpcError(`Duplicate resource URN '${rec.urn}'; try giving it a unique name`);
            }
            this.records.set(rec.urn, rec);
            if (rec.type === ROOT_STACK_TYPE && rec.parent === null) this.stackUrn = rec.urn;
        }

        /**
         * What an explicit provider says about where its resources live: its
         * region, and the account of the role it assumes (resources and calls
         * under it act in that account).
         */
        private providerContext(providerUrn: string | null): { region?: string; account?: string; roleArn?: string } {
            const providerRecord = providerUrn ? this.records.get(providerUrn) : undefined;
            if (!providerRecord) return {};
            const inputs = plain(providerRecord.inputs) as Record<string, unknown>;
            const region = typeof inputs.region === "string" && inputs.region !== UNKNOWN_SENTINEL ? inputs.region : undefined;
            const roleArn = providerRecord.type === "pulumi:providers:aws" ? assumedRoleArn(inputs) : undefined;
            return { region, roleArn, account: roleArn?.split(":")[4] };
        }

        /** The state the engine returns for a custom resource or remote component. */
        private answer(rec: WireRecord, importId: string, provider: string, inheritedAws?: string): string {
            // An explicit provider's region (and assumed role's account) applies to its resources.
            const where = this.providerContext(rec.options.provider ?? (inheritedAws ? providerUrn(inheritedAws) : null));
            const r = cloud.resource({
                type: rec.type,
                name: rec.name,
                urn: rec.urn,
                remote: rec.remote,
                custom: rec.custom,
                inputs: plain(rec.inputs),
                provider,
                id: importId,
                region: where.region,
                account: where.account,
            });
            const state: Record<string, Wire> = rec.remote ? {} : Object.assign({}, rec.inputs);
            for (const k of Object.keys(r.checked)) {
                if (!(k in state) && r.checked[k] !== undefined) state[k] = defined(r.checked[k]);
            }
            for (const k of Object.keys(r.computed)) {
                if (!(k in state) && r.computed[k] !== undefined) {
                    state[k] = preview && rec.op === "create" ? UNKNOWN_SENTINEL : defined(r.computed[k]);
                }
            }
            for (const k of rec.options.additionalSecretOutputs) {
                if (k in state && !isWireSecret(state[k])) state[k] = wireSecret(state[k]);
            }
            rec.state = state;
            // In a preview the engine returns no id for a resource it would create.
            return preview && rec.op === "create" && !importId ? "" : r.id ?? "";
        }

        async registerResource(req: Req, callback: Callback): Promise<void> {
            try {
                const type: string = req.getType();
                const name: string = req.getName();
                const parent: string | null = req.getParent() || null;
                const custom: boolean = req.getCustom();
                const remote: boolean = req.getRemote();
                const obj = req.getObject();
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps: Req, key: string) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                const aliasSpecs: Req[] = req.getAliasesList();
                const importId: string = req.getImportid();
                const rec: WireRecord = {
                    urn: engineUrn(opts.stack, opts.project, parent, type, name),
                    type,
                    name,
                    parent,
                    custom,
                    remote,
                    op: "create",
                    id: "",
                    inputs: obj ? obj.toJavaScript() : {},
                    state: {},
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    options: {
                        protect: req.getProtect() === true,
                        retainOnDelete: req.getRetainondelete() === true,
                        deleteBeforeReplace: req.getDeletebeforereplace() === true,
                        aliases: aliasSpecs.length > 0 ? aliasSpecs.map(aliasOf) : req.getAliasurnsList(),
                        ignoreChanges: req.getIgnorechangesList(),
                        provider: providerUrn(req.getProvider()),
                        replaceOnChanges: req.getReplaceonchangesList(),
                        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                        deletedWith: req.getDeletedwith() || null,
                        import: importId || null,
                        replaceWith: req.getReplaceWithList?.() ?? [],
                        replacementTrigger: req.getReplacementTrigger?.()?.toJavaScript(),
                    },
                };
                this.add(rec);
                // A remote component (pulumi-eks, awsx) gets no `provider`: the SDK sends the providers it
                // inherits in `providers` (@pulumi/pulumi runtime/resource.ts prepareResource, setProvidersMap),
                // and the component creates its AWS resources through the `aws` one, so its outputs (ARNs, the
                // cluster's account) are that provider's account's.
                const inherited: string | undefined = remote ? req.getProvidersMap?.()?.get("aws") : undefined;
                if (custom || remote) rec.id = this.answer(rec, importId, req.getProvider(), inherited);
                const id = rec.id;
                const state = rec.state;
                callback(null, {
                    getUrn: () => rec.urn,
                    getId: () => id,
                    getObject: () => structLike(custom || remote ? state : {}),
                    getPropertydependenciesMap: () => undefined,
                    getResult: () => 0,
                });
            } catch (err) {
                callback(err);
            }
        }

        async readResource(req: Req, callback: Callback): Promise<void> {
            try {
                const parent: string | null = req.getParent() || null;
                const rec: WireRecord = {
                    urn: engineUrn(opts.stack, opts.project, parent, req.getType(), req.getName()),
                    type: req.getType(),
                    name: req.getName(),
                    parent,
                    custom: true,
                    remote: false,
                    op: "read",
                    id: req.getId(),
                    inputs: req.getProperties()?.toJavaScript() ?? {},
                    state: {},
                    dependencies: req.getDependenciesList(),
                    propertyDependencies: {},
                    options: {
                        protect: false,
                        retainOnDelete: false,
                        deleteBeforeReplace: false,
                        aliases: [],
                        ignoreChanges: [],
                        provider: providerUrn(req.getProvider()),
                        replaceOnChanges: [],
                        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                        deletedWith: null,
                        import: null,
                    },
                };
                this.add(rec);
                this.answer(rec, rec.id, req.getProvider());
                callback(null, { getUrn: () => rec.urn, getProperties: () => structLike(rec.state) });
            } catch (err) {
                callback(err);
            }
        }

        registerResourceOutputs(req: Req, callback: Callback): void {
            const rec = this.records.get(req.getUrn());
            if (!rec) {
                callback(rpcError(`unknown resource ${req.getUrn()}`));
                return;
            }
            const outputs = req.getOutputs();
            rec.state = outputs ? outputs.toJavaScript() : {};
            callback(null, {});
        }

        async invoke(req: Req, callback: Callback): Promise<void> {
            try {
                const token: string = req.getTok();
                const args = req.getArgs();
                const inputs = args ? args.toJavaScript() : {};
                let result: Record<string, unknown>;
                if (token === "pulumi:pulumi:getResource") {
                    const rec = this.records.get(String(inputs.urn));
                    if (!rec) throw new Error(`unknown resource ${String(inputs.urn)}`);
                    result = { urn: rec.urn, id: rec.id, state: rec.state };
                } else {
                    const provider: string = req.getProvider();
                    result = cloud.call({ token, inputs: plain(inputs), provider, ...this.providerContext(providerUrn(provider)) });
                }
                const resp = new proto.InvokeResponse();
                resp.setReturn(proto.Struct.fromJavaScript(result));
                callback(null, resp);
            } catch (err) {
                callback(rpcError(err instanceof Error ? err.message : String(err)));
            }
        }

        supportsFeature(req: Req, callback: Callback): void {
            // Transforms and hooks need the engine to call back into the program
            // over gRPC, which the offline preview cannot do; output values are
            // off as in the SDK's own mocks, so inputs arrive as plain values.
            const unsupported = ["outputValues", "transforms", "invokeTransforms", "resourceHooks", "errorHooks"];
            const supported = !unsupported.includes(req.getId());
            callback(null, { getHassupport: () => supported });
        }

        secretValues(): Set<string> {
            const out = new Set<string>();
            for (const r of this.records.values()) {
                secretStrings(r.inputs, false, out);
                secretStrings(r.state, false, out);
            }
            return out;
        }

        toRecords(opts: { revealSecrets?: boolean } = {}): ResourceRecord[] {
            const reveal = opts.revealSecrets === true;
            const out: ResourceRecord[] = [];
            for (const r of this.records.values()) {
                const isComponent = !r.custom && !r.remote;
                out.push({
                    urn: r.urn,
                    type: r.type,
                    name: r.name,
                    parent: r.parent,
                    custom: r.custom,
                    remote: r.remote,
                    op: r.op,
                    id: isComponent ? null : r.id === "" ? (r.remote ? null : UNKNOWN) : r.id,
                    inputs: display(r.inputs, reveal) as Record<string, unknown>,
                    outputs: display(r.state, reveal) as Record<string, unknown>,
                    dependencies: r.dependencies,
                    propertyDependencies: r.propertyDependencies,
                    options: r.options,
                });
            }
            return out;
        }

        stackOutputs(): Record<string, unknown> {
            return display(this.stackOutputState()) as Record<string, unknown>;
        }

        stackOutputState(): Record<string, unknown> {
            const rec = this.stackUrn ? this.records.get(this.stackUrn) : undefined;
            return rec ? rec.state : {};
        }
    }

    return new Recording();
}
