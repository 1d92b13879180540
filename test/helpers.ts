import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { runPreview, PreviewResult, ResourceRecord, Mode, OFFLINE_ORGANIZATION } from "../tools/preview";
import { evaluate } from "../policies/evaluate";
import { toProgramConfig } from "../tools/preview/config";
import { ACCOUNT_ID, qualifiedStackName } from "../tools/preview/cloud";
import { createdShardStacks } from "../tools/preview/env-model";
import { stackNamesIn } from "../components/catalog/environment";

export const ROOT = path.resolve(__dirname, "..");
export const PROJECT = "privatelink-platform";

/** Stack names that have a stacks/Pulumi.<stack>.yaml file. */
export function stackFiles(dir = path.join(ROOT, "stacks")): string[] {
    return stackNamesIn(dir);
}

/** The `config:` map of a shipped stack file. */
export function stackConfig(stack: string): Record<string, unknown> {
    return YAML.parse(fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")).config;
}

/**
 * A shipped stack's config with its front door's Cognito user pool set, as
 * its operator sets it before the first `up` (while the pool is
 * `{ needsInput }` its routes are planned as pending).
 */
export function withCognitoPool(config: Record<string, unknown>, accountId = "111122223333"): Record<string, unknown> {
    const key = `${PROJECT}:platform`;
    const platform = structuredClone(config[key]) as { frontDoor?: { cognito?: { userPoolArn?: unknown } } };
    const region = String(config["aws:region"] ?? "us-east-1");
    if (platform.frontDoor?.cognito) platform.frontDoor.cognito.userPoolArn = `arn:aws:cognito-idp:${region}:${accountId}:userpool/${region}_Abc123XyZ`;
    return { ...config, [key]: platform };
}

/** A catalog-only stack config: the given services and platform settings. */
export function catalogConfig(services: unknown[], platform: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "aws:region": "us-east-1",
        // The account the stack deploys into, declared as the README's first deploy does: the one the offline plan simulates.
        "aws:allowedAccountIds": [ACCOUNT_ID],
        [`${PROJECT}:platform`]: platform,
        [`${PROJECT}:services`]: services,
    };
}

export function fargate(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name, runtime: "fargate", port: 8080, image: "1.0.0", ...extra };
}

/**
 * The stacks a shard stack's plan takes to exist, none deployed: every shard
 * stack of its environment (`npm run env -- init` creates them before wave 1),
 * plus `deployed` (qualified or short names, with their outputs).
 */
export function createdStacks(config: Record<string, unknown>, deployed: Record<string, Record<string, unknown>> = {}): Map<string, Record<string, unknown>> {
    const qualify = (s: string) => qualifiedStackName(s, { organization: OFFLINE_ORGANIZATION, project: PROJECT });
    const stacks = createdShardStacks(ROOT, config, qualify);
    for (const [stack, outputs] of Object.entries(deployed)) stacks.set(qualify(stack), outputs);
    return stacks;
}

/** Environment variables the SDK, the offline preview or the program read: part of every shared plan's key. */
const ENV_THAT_MATTERS = /^(PULUMI_|PRIVATELINK_|PREVIEW_|AWS_)/;
const shared = new Map<string, Promise<PreviewResult>>();

/**
 * Runs the real program offline, once per input per process however many
 * tests ask (the suite's files share it: a stack and mode planned by one
 * file is not planned again by the next). The key is the whole input by
 * content: the stack, mode, configuration, account, the other stacks'
 * outputs it reads (`createdStacks`) and the environment variables that
 * reach the run; two different inputs never share. Every caller gets the
 * same deep-frozen result (a test that modifies it throws instead of
 * changing what the next test sees), except `world`, a fresh copy each
 * time. A failed run fails every caller alike.
 */
export function plan(config: Record<string, unknown>, mode: Mode = "up", stack = "test", accountId?: string): Promise<PreviewResult> {
    const stackOutputs = createdStacks(config);
    const env = Object.entries(process.env).filter(([k]) => ENV_THAT_MATTERS.test(k)).sort(([a], [b]) => a.localeCompare(b));
    const key = JSON.stringify({ config, mode, stack, accountId, stackOutputs: [...stackOutputs].sort(([a], [b]) => a.localeCompare(b)), env });
    let run = shared.get(key);
    if (!run) {
        run = runPreview({ projectDir: ROOT, stack, mode, stackConfig: structuredClone(config), accountId, stackOutputs }).then(deepFreezeExceptWorld);
        shared.set(key, run);
    }
    return run.then(r => ({ ...r, world: r.world.clone() }));
}

function deepFreezeExceptWorld(result: PreviewResult): PreviewResult {
    const { world, ...rest } = result;
    deepFreeze(rest);
    return Object.freeze({ ...rest, world });
}

function deepFreeze(value: unknown): void {
    if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
}

/** Indexes a preview's resources for graph questions. */
export class Graph {
    readonly byUrn = new Map<string, ResourceRecord>();

    constructor(readonly result: PreviewResult) {
        for (const r of result.resources) {
            this.byUrn.set(r.urn, r);
        }
    }

    get resources(): ResourceRecord[] {
        return this.result.resources;
    }

    ofType(type: string): ResourceRecord[] {
        return this.resources.filter(r => r.type === type);
    }

    one(type: string, name: string): ResourceRecord {
        const found = this.resources.filter(r => r.type === type && r.name === name);
        if (found.length !== 1) {
            throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
        }
        return found[0];
    }

    get(urn: string): ResourceRecord {
        const r = this.byUrn.get(urn);
        if (!r) {
            throw new Error(`no resource ${urn}`);
        }
        return r;
    }

    /** Resources whose parent chain includes `ancestor`. */
    descendants(ancestor: ResourceRecord): ResourceRecord[] {
        return this.resources.filter(r => this.isUnder(r, ancestor.urn));
    }

    isUnder(r: ResourceRecord, ancestorUrn: string): boolean {
        for (let p = r.parent; p; p = this.byUrn.get(p)?.parent ?? null) {
            if (p === ancestorUrn) {
                return true;
            }
        }
        return false;
    }

    /** Resources of `type` whose property `prop` depends on `target` (the reverse of `deps`). */
    dependents(target: ResourceRecord, type: string, prop: string): ResourceRecord[] {
        return this.ofType(type).filter(r => r.propertyDependencies[prop]?.includes(target.urn));
    }

    /** The listeners of a load balancer. */
    listenersOf(lb: ResourceRecord): ResourceRecord[] {
        return this.dependents(lb, "aws:lb/listener:Listener", "loadBalancerArn");
    }

    /** URNs a property of `r` depends on, resolved to records. */
    deps(r: ResourceRecord, prop: string): ResourceRecord[] {
        return (r.propertyDependencies[prop] ?? []).map(u => this.get(u));
    }

    /**
     * The service a resource belongs to: its `privatelink:service` tag, or for
     * untaggable resources (role policies) the name of the per-service
     * component it is parented to.
     */
    ownerOf(r: ResourceRecord): string | undefined {
        return Graph.serviceOf(r) ?? (r.parent ? this.byUrn.get(r.parent)?.name : undefined);
    }

    /** The service a resource belongs to, from the `privatelink:service` tag. */
    static serviceOf(r: ResourceRecord): string | undefined {
        const tags = r.inputs.tags as Record<string, string> | undefined;
        return tags?.["privatelink:service"];
    }
}

export function parse<T = unknown>(json: unknown): T {
    assertString(json);
    return JSON.parse(json) as T;
}

/** An IAM policy statement as the program writes it. */
export interface Statement {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource?: string | string[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a policy document held as a JSON string. */
export function statements(doc: unknown): Statement[] {
    return parse<{ Statement: Statement[] }>(doc).Statement;
}

/** An IAM element that may be one string or a list, as a list. */
export function list(v: string | string[] | undefined): string[] {
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function assertString(v: unknown): asserts v is string {
    if (typeof v !== "string") {
        throw new Error(`expected a JSON string, got ${JSON.stringify(v)}`);
    }
}

/** The catalog planned (through `plan()`), refused if the catalog has errors, with its graph: what a describe's `before` needs. */
export async function plannedGraph(config: Record<string, unknown>, mode: Mode = "up"): Promise<{ result: PreviewResult; g: Graph }> {
    const result = await plan(config, mode);
    if (result.errors !== undefined) throw new Error(`the catalog was refused: ${JSON.stringify(result.errors)}`);
    return { result, g: new Graph(result) };
}

/** The pack over a plan's records, with the stack configuration `config` gives the program (as `pulumi preview --policy-pack` passes it). */
export function judgeWith(config: Record<string, unknown>): (result: PreviewResult, mode: "preview" | "up") => ReturnType<typeof evaluate> {
    return (result, mode) => evaluate(result.resources, { mode, stackConfig: toProgramConfig(PROJECT, config, {}).config });
}

/** The mandatory findings the pack decided (not those waiting for values known after up). */
export function mandatoryOf(vs: Awaited<ReturnType<typeof evaluate>>): Awaited<ReturnType<typeof evaluate>> {
    return vs.filter(v => v.enforcementLevel === "mandatory" && !v.unknown);
}
