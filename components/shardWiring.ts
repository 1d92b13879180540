/**
 * The wiring of one shard stack to the other shards of its environment,
 * through Pulumi rather than copied values (docs/scale.md):
 *
 * - a consumer reads each provider's endpoint service name, id and zone ids
 *   from the provider shard's stack outputs (`pulumi.StackReference`);
 * - a provider admits the accounts of its declared consumers' shards
 *   (`arn:<partition>:iam::<account>:root`) and accepts exactly the endpoint
 *   ids its declared consumer shards export (`endpoints`), read the same way;
 * - a shard in another account is deployed through an explicit aws.Provider
 *   that assumes the catalog's role there.
 *
 * Under the engine a StackReference reads the referenced stack's last
 * *deployed* outputs (Pulumi docs, "Stack references": "the outputs of the
 * referenced stack ... as of its last update"; the engine's built-in provider,
 * pulumi/pulumi v3.248.0 pkg/resource/deploy/builtins.go, readStackReference),
 * and fails the run when the stack does not exist (`unknown stack`,
 * pkg/backend/backend.go GetStackOutputs), so every shard stack is created
 * before wave 1 (`npm run env -- init`). Before a provider's first `up`, or
 * while its deployed endpoint service does not admit the consumer's account,
 * its consumers skip the edge with a warning; it appears on a later `up` (the
 * deploy waves in docs/scale.md), never a failure.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    Catalog,
    crossShardEdges,
    edgeName,
    partitionOf,
    selectedShard,
    Shard,
    SHARD_OUTPUTS,
    shardsOf,
} from "./catalog";

/** What a consumer shard knows of a provider in another shard. */
export interface RemoteProvider {
    endpointServiceName: pulumi.Output<string>;
    endpointServiceId: pulumi.Output<string>;
    zoneIds: pulumi.Output<string[]>;
}

/** A cross-shard connection this (provider) shard accepts. */
export interface Acceptance {
    consumer: string;
    provider: string;
    /** The consumer's interface endpoint id, from the consumer shard's `endpoints` output. */
    endpointId: pulumi.Output<string>;
}

/** Everything the Platform needs to declare one shard. */
export interface ShardWiring {
    shard: Shard;
    /** The services this stack declares. */
    local: ReadonlySet<string>;
    /** Providers in other shards whose stack has outputs, by service. */
    remote: ReadonlyMap<string, RemoteProvider>;
    /** Per local provider, the principals of its consumers in other shards. */
    consumerPrincipals: ReadonlyMap<string, pulumi.Input<string>[]>;
    /** Per edge key `consumer->provider`, the connections this shard accepts. */
    accept: ReadonlyMap<string, Acceptance>;
    /** Edge keys skipped for now (the other shard has no outputs yet), with why. */
    pending: ReadonlyMap<string, string>;
    /** The explicit provider of a shard in another account, if any. */
    provider?: aws.Provider;
    /** The role that provider assumes in this run (assumedShardRole); tools that act as the stack (kubectl's token) assume it too. */
    roleArn?: string;
}

/** The stack outputs a shard reads from another: the shape Platform exports. */
export interface ShardOutputs {
    services?: Record<string, { endpointServiceName?: string; endpointServiceId?: string; zoneIds?: string[]; account?: string }>;
    /** Per service, the principals its endpoint service admits (index.ts `declaredPrincipals`). */
    declaredPrincipals?: Record<string, string[]>;
    endpoints?: Record<string, string>;
}

export interface WireOptions {
    organization: string;
    project: string;
    warn(message: string): void;
    /** The account of the credentials that run Pulumi (shards without `account` deploy there). */
    defaultAccountId: () => pulumi.Input<string>;
    /** The shard's explicit provider (another account), created once by the program. */
    provider?: aws.Provider;
}

/**
 * The role a run of the shard's stack assumes in its account: in a preview
 * (`pulumi preview`, and the preview step of `pulumi up`) the catalog's
 * read-only `previewRole`, so a pull request's preview never holds deploy
 * rights there; in an update the deploy `role`. Undefined for a shard in
 * the running credentials' account.
 */
export function assumedShardRole(shard: Shard, dryRun: boolean): string | undefined {
    if (!shard.account || !shard.roleArn) return undefined;
    if (!dryRun) return shard.roleArn;
    // The catalog requires previewRole with an account (checkShards): never fall back to the deploy role.
    if (!shard.previewRoleArn) throw new Error(`shard ${shard.name}: a preview needs its read-only previewRole in account ${shard.account}`);
    return shard.previewRoleArn;
}

/**
 * The explicit provider of a shard in another account: it assumes the
 * shard's role there for this run (assumedShardRole; Terraform AWS provider,
 * "assume_role"; the Pulumi aws.Provider `assumeRoles`) and refuses any
 * other account (`allowedAccountIds`), so a wrong role can never deploy the
 * shard elsewhere.
 */
export function shardProvider(shard: Shard, region: string | undefined, stack: string, dryRun = pulumi.runtime.isDryRun()): aws.Provider | undefined {
    const roleArn = assumedShardRole(shard, dryRun);
    if (!roleArn || !shard.account) return undefined;
    return new aws.Provider(`shard-${shard.name}`, {
        ...(region ? { region: region as aws.Region } : {}),
        assumeRoles: [{ roleArn, sessionName: `pulumi-${stack}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64) }],
        allowedAccountIds: [shard.account],
    });
}

/** Reads one output of a referenced stack; undefined while the stack has none (never deployed). */
export function deployedOutput(ref: pulumi.StackReference, name: string): Promise<unknown> {
    // The engine answers `outputs: {}` for a stack that exists with no deployment
    // (and fails the read of one that does not exist); read defensively so an
    // absent map is "nothing yet" too. `promise()` is how the
    // SDK's own getOutputDetails awaits a reference's value.
    const out = ref.outputs.apply(os => (os ?? {})[name]) as unknown as { promise(): Promise<unknown> };
    return out.promise();
}

/** One StackReference per other shard, named after the shard so its URN never moves. */
function referenceTo(shard: Shard, opts: WireOptions, refs: Map<string, pulumi.StackReference>): pulumi.StackReference {
    let ref = refs.get(shard.name);
    if (!ref) {
        ref = new pulumi.StackReference(`shard-${shard.name}`, { name: `${opts.organization}/${opts.project}/${shard.stack}` });
        refs.set(shard.name, ref);
    }
    return ref;
}

/**
 * The wiring of the stack's shard, or undefined in single-stack mode (the
 * stack declares every service and needs no reference).
 */
export async function wireShard(catalog: Catalog, _stack: string, opts: WireOptions): Promise<ShardWiring | undefined> {
    const shard = selectedShard(catalog);
    if (!shard) return undefined;
    const shards = new Map(shardsOf(catalog).map(s => [s.name, s]));
    const edges = crossShardEdges(catalog).filter(e => e.consumerShard === shard.name || e.providerShard === shard.name);
    const refs = new Map<string, pulumi.StackReference>();
    const partition = partitionOf(catalog.region);
    const remote = new Map<string, RemoteProvider>();
    const consumerPrincipals = new Map<string, pulumi.Input<string>[]>();
    const accept = new Map<string, Acceptance>();
    const pending = new Map<string, string>();
    const outputsOf = new Map<string, Promise<ShardOutputs>>();
    const read = (other: Shard): Promise<ShardOutputs> => {
        let p = outputsOf.get(other.name);
        if (!p) {
            const ref = referenceTo(other, opts, refs);
            // Only the keys of the contract (SHARD_OUTPUTS): a consumer reads its provider's
            // `services` and `declaredPrincipals`, a provider its consumer's `endpoints`.
            const keys = [...new Set([...SHARD_OUTPUTS.consumerReads, ...SHARD_OUTPUTS.providerReads])];
            p = Promise.all(keys.map(k => deployedOutput(ref, k)))
                .then(values => Object.fromEntries(keys.map((k, i) => [k, values[i]])) as ShardOutputs);
            outputsOf.set(other.name, p);
        }
        return p;
    };

    for (const edge of edges) {
        const key = edgeName(edge);
        if (edge.consumerShard === shard.name) {
            // This shard consumes: the provider's endpoint service from its stack.
            const providerShard = shards.get(edge.providerShard)!;
            const outputs = await read(providerShard);
            const found = outputs.services?.[edge.provider];
            if (!found?.endpointServiceName || !found.endpointServiceId) {
                const why = `${key}: stack ${providerShard.stack} has no endpoint service for ${edge.provider} yet (not deployed, or not since shards); ` +
                    `the edge is skipped and appears on the next up after ${providerShard.stack}'s (docs/scale.md, deploy waves)`;
                pending.set(key, why);
                opts.warn(why);
                continue;
            }
            // The provider must admit this shard's account before its endpoint may be asked for: AWS refuses
            // CreateVpcEndpoint to an endpoint service that does not admit the caller ("by default, your endpoint
            // service is not available to service consumers", PrivateLink guide, "Configure an endpoint service").
            // A new edge, or this shard in a new account, is applied to both shards in wave 1: until the
            // provider's deployed outputs admit this shard, the edge waits like one with no outputs (docs/scale.md).
            const me = await principalValue(consumerPrincipal(catalog, shard, partition, opts));
            const admitted = outputs.declaredPrincipals?.[edge.provider] ?? [];
            if (me !== undefined && !admitted.includes(me) && !admitted.includes("*")) {
                const why = `${key}: stack ${providerShard.stack}'s deployed endpoint service for ${edge.provider} does not admit ${me} yet ` +
                    `(it admits ${admitted.join(", ") || "nobody"}); the edge is skipped and appears on the next up after ${providerShard.stack}'s, ` +
                    `which admits it (docs/scale.md, "A new edge")`;
                pending.set(key, why);
                opts.warn(why);
                continue;
            }
            if (!remote.has(edge.provider)) {
                const ref = referenceTo(providerShard, opts, refs);
                const field = <T>(name: "endpointServiceName" | "endpointServiceId" | "zoneIds") =>
                    ref.outputs.apply(os => os.services[edge.provider][name] as T);
                remote.set(edge.provider, {
                    endpointServiceName: field<string>("endpointServiceName"),
                    endpointServiceId: field<string>("endpointServiceId"),
                    zoneIds: field<string[]>("zoneIds"),
                });
            }
        } else {
            // This shard provides: admit the consumer shard's account, accept its declared endpoint.
            const consumerShard = shards.get(edge.consumerShard)!;
            const principal = consumerPrincipal(catalog, consumerShard, partition, opts);
            if (principal !== undefined) {
                consumerPrincipals.set(edge.provider, [...(consumerPrincipals.get(edge.provider) ?? []), principal]);
            }
            const outputs = await read(consumerShard);
            if (!outputs.endpoints?.[key]) {
                // Not an error: the consumer's endpoint appears in a later wave; until then nothing to accept.
                pending.set(key, `${key}: stack ${consumerShard.stack} exports no endpoint for this edge yet; it is accepted on the next up after ${consumerShard.stack}'s`);
                continue;
            }
            const ref = referenceTo(consumerShard, opts, refs);
            accept.set(key, { consumer: edge.consumer, provider: edge.provider, endpointId: ref.outputs.apply(os => os.endpoints[key] as string) });
        }
    }
    return {
        shard,
        local: new Set(shard.services),
        remote,
        consumerPrincipals,
        accept,
        pending,
        ...(opts.provider ? { provider: opts.provider } : {}),
        ...(opts.provider && assumedShardRole(shard, pulumi.runtime.isDryRun()) ? { roleArn: assumedShardRole(shard, pulumi.runtime.isDryRun()) } : {}),
    };
}

/** The value of a principal: known at program time (a literal, or the caller's account from an invoke). */
function principalValue(p: pulumi.Input<string> | undefined): Promise<string | undefined> {
    if (p === undefined || typeof p === "string") return Promise.resolve(p);
    // As deployedOutput: `promise()` is how the SDK awaits an output's value.
    return (pulumi.output(p) as unknown as { promise(): Promise<string | undefined> }).promise();
}

/**
 * The principal a provider admits for a consumer shard: the root of its
 * account (cross-account PrivateLink: the consumer's account, or a role in
 * it, is an allowed principal; AWS PrivateLink guide, "Manage permissions").
 * A shard without an account deploys with the running credentials: the
 * environment's consumer principal if the catalog sets one, else that
 * account's root. An account still { needsInput } is planned as absent.
 */
export function consumerPrincipal(
    catalog: Pick<Catalog, "platform">,
    consumer: Shard,
    partition: string,
    opts: Pick<WireOptions, "defaultAccountId">,
): pulumi.Input<string> | undefined {
    if (consumer.accountNeedsInput) return undefined;
    if (consumer.account) return `arn:${partition}:iam::${consumer.account}:root`;
    return catalog.platform.consumerPrincipal ?? pulumi.interpolate`arn:${partition}:iam::${opts.defaultAccountId()}:root`;
}
