/**
 * Checks over a whole environment's offline plan (tools/preview/env.ts):
 * what no single shard's preview can decide, because it needs both halves of
 * an edge or totals over several stacks. Pure functions over the kept facts.
 *
 * - env-declared-edges-only: every interface endpoint to one of the
 *   environment's endpoint services is a declared `consumes` edge, and every
 *   declared edge has its endpoint once the shards have converged.
 * - env-principals: each endpoint service admits exactly the accounts of its
 *   declared consumers (plus what the catalog's `allowedPrincipals` adds).
 *   Source: an endpoint service admits only the principals in its
 *   permissions; "Manage permissions", AWS PrivateLink guide
 *   (https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#add-remove-permissions).
 * - env-acceptance: the connections a provider accepts are exactly its
 *   declared consumers' endpoints; an undeclared endpoint stays pending
 *   (acceptance required; "Accept or reject connection requests", same guide).
 * - env-quotas: quotas counted per Region are summed over the shards that
 *   share an account and a Region (Service Quotas apply per account and
 *   Region: https://docs.aws.amazon.com/servicequotas/latest/userguide/intro.html).
 * - env-reachability: the reachability model over the union of every shard's
 *   records (docs/reachability.md).
 */
import type { QuotaRow, Violation } from "./index";
import type { EnvironmentModel, EnvironmentPlan, ShardOutcome } from "./env";
import { UNKNOWN } from "./values";

export interface EnvFinding {
    check: string;
    enforcementLevel: "mandatory" | "advisory";
    shard?: string;
    message: string;
}

export interface EnvQuotaRow {
    account: string;
    region: string;
    code: string;
    name: string;
    shards: string[];
    need: number;
    limit: number;
    ok: boolean;
}

export interface EnvChecks {
    findings: EnvFinding[];
    /** Cross-shard edges found wired (a consumer endpoint to the provider shard's service), by `consumer->provider`. */
    wired: string[];
    /** Accepted cross-shard edges, by `consumer->provider`. */
    accepted: string[];
    /** Per provider service: the accounts its endpoint service admits. */
    admitted: Record<string, string[]>;
    quotas: EnvQuotaRow[];
    reachability?: unknown;
}

const key = (e: { consumer: string; provider: string }) => `${e.consumer}->${e.provider}`;

function known(v: unknown): v is string {
    return typeof v === "string" && v !== UNKNOWN && v !== "";
}

/** The account of an IAM principal ARN (`arn:aws:iam::<account>:root|role/...`), or undefined for `*` and service principals. */
export function principalAccount(arn: string): string | undefined {
    return /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
}

/** Per service: the provider's endpoint service (name and id known from the converged outputs when the plan's records do not know them). */
function providerServices(plan: EnvironmentPlan): Map<string, { shard: string; account: string; serviceName?: string; id?: string; principals: unknown }> {
    const out = new Map<string, { shard: string; account: string; serviceName?: string; id?: string; principals: unknown }>();
    const stackOutputs = new Map<string, Record<string, unknown>>();
    for (const [stack, o] of plan.outputs) stackOutputs.set(stack.split("/").pop()!, o);
    for (const s of plan.shards) {
        const exported = (stackOutputs.get(s.stack)?.services ?? {}) as Record<string, Record<string, unknown>>;
        for (const es of s.endpointServices) {
            if (!es.service) continue;
            const fromOutputs = exported[es.service] ?? {};
            out.set(es.service, {
                shard: s.name,
                account: s.account,
                serviceName: known(es.serviceName) ? es.serviceName : known(fromOutputs.endpointServiceName) ? fromOutputs.endpointServiceName : undefined,
                id: known(es.id) ? es.id : known(fromOutputs.endpointServiceId) ? fromOutputs.endpointServiceId : undefined,
                principals: es.allowedPrincipals,
            });
        }
    }
    return out;
}

/** Consumer endpoint ids of each edge: from the records, else from the consumer shard's converged `endpoints` output. */
function endpointIds(plan: EnvironmentPlan, providers: ReturnType<typeof providerServices>): Map<string, { shard: string; id?: string; edge: string; consumer?: string; provider?: string }> {
    const byName = new Map<string, string>();
    for (const [service, p] of providers) if (p.serviceName) byName.set(p.serviceName, service);
    const exported = new Map<string, Record<string, unknown>>();
    for (const [stack, o] of plan.outputs) exported.set(stack.split("/").pop()!, (o.endpoints ?? {}) as Record<string, unknown>);
    const out = new Map<string, { shard: string; id?: string; edge: string; consumer?: string; provider?: string }>();
    for (const s of plan.shards) {
        for (const e of s.endpoints) {
            const provider = known(e.serviceName) ? byName.get(e.serviceName) : undefined;
            const edge = provider && e.consumer ? `${e.consumer}->${provider}` : e.urn;
            const fromOutputs = exported.get(s.stack)?.[edge];
            out.set(e.urn, { shard: s.name, id: known(e.id) ? e.id : known(fromOutputs) ? fromOutputs : undefined, edge, consumer: e.consumer, provider });
        }
    }
    return out;
}

export function checkEnvironment(model: EnvironmentModel, plan: EnvironmentPlan, reachability?: (plan: EnvironmentPlan) => { findings: EnvFinding[]; report: unknown }): EnvChecks {
    const findings: EnvFinding[] = [];
    const declared = new Map(model.edges.map(e => [key(e), e]));
    const cross = model.edges.filter(e => e.consumerShard !== e.providerShard);
    const shardOf = new Map(plan.shards.map(s => [s.name, s]));
    const providers = providerServices(plan);
    const endpoints = endpointIds(plan, providers);

    // Declared edges only, and every declared cross-shard edge wired.
    const wired = new Set<string>();
    for (const e of endpoints.values()) {
        if (!e.provider) continue;
        if (!declared.has(e.edge)) {
            findings.push({ check: "env-declared-edges-only", enforcementLevel: "mandatory", shard: e.shard, message: `an interface endpoint of ${e.consumer ?? "?"} connects to ${e.provider}'s endpoint service, but the catalog declares no edge ${e.edge}. Fix: add ${e.provider} to ${e.consumer}'s consumes, or remove the endpoint.` });
        } else if (declared.get(e.edge)!.consumerShard !== declared.get(e.edge)!.providerShard) {
            wired.add(e.edge);
        }
    }
    for (const e of cross) {
        if (!wired.has(key(e)) && !shardOf.get(e.consumerShard)?.errors && !shardOf.get(e.providerShard)?.errors) {
            findings.push({ check: "env-declared-edges-only", enforcementLevel: "mandatory", shard: e.consumerShard, message: `the declared edge ${key(e)} has no interface endpoint in shard ${e.consumerShard} after every shard read the others' outputs. Fix: the consumer shard must read ${e.provider}'s endpoint service name from stack ${shardOf.get(e.providerShard)?.stack ?? e.providerShard} (StackReference) and create the endpoint.` });
        }
    }

    // Principals: each provider admits exactly its declared consumers' accounts (plus the catalog's own additions).
    const admitted: Record<string, string[]> = {};
    for (const [service, p] of providers) {
        const principals = Array.isArray(p.principals) ? p.principals : [];
        if (principals.some(x => !known(x))) {
            findings.push({ check: "env-principals", enforcementLevel: "advisory", shard: p.shard, message: `${service}: allowedPrincipals are not known in this mode; run with --mode up to check them.` });
            continue;
        }
        const accounts = new Set((principals as string[]).map(principalAccount).filter((a): a is string => a !== undefined));
        admitted[service] = [...accounts].sort();
        const extra = new Set((model.extraPrincipals?.[service] ?? []).map(principalAccount).filter((a): a is string => a !== undefined));
        const consumers = model.edges.filter(e => e.provider === service);
        const expected = new Set(consumers.map(e => shardOf.get(e.consumerShard)?.account).filter((a): a is string => a !== undefined));
        for (const a of expected) {
            if (!accounts.has(a)) {
                const who = consumers.filter(e => shardOf.get(e.consumerShard)?.account === a).map(e => e.consumer).join(", ");
                findings.push({ check: "env-principals", enforcementLevel: "mandatory", shard: p.shard, message: `${service}'s endpoint service does not admit account ${a}, where its declared consumer(s) ${who} run: their endpoints could never connect. Fix: derive allowedPrincipals from the consumers' accounts (arn:aws:iam::${a}:root).` });
            }
        }
        for (const a of accounts) {
            if (!expected.has(a) && !extra.has(a)) {
                findings.push({ check: "env-principals", enforcementLevel: "mandatory", shard: p.shard, message: `${service}'s endpoint service admits account ${a}, where none of its declared consumers runs and which the catalog's allowedPrincipals do not list. Fix: remove it from allowedPrincipals, or declare the consumer.` });
            }
        }
    }

    // Acceptance: providers accept exactly the declared consumers' endpoints.
    const idToEdge = new Map<string, { edge: string; consumer?: string; provider?: string }>();
    for (const e of endpoints.values()) if (e.id) idToEdge.set(e.id, e);
    const serviceById = new Map<string, string>();
    for (const [service, p] of providers) if (p.id) serviceById.set(p.id, service);
    const accepted = new Set<string>();
    for (const s of plan.shards) {
        for (const a of s.accepters) {
            if (!known(a.vpcEndpointId) || !known(a.vpcEndpointServiceId)) continue;
            const edge = idToEdge.get(a.vpcEndpointId);
            const service = serviceById.get(a.vpcEndpointServiceId);
            if (!edge || !service) continue;
            if (edge.provider !== service || !declared.has(edge.edge)) {
                findings.push({ check: "env-acceptance", enforcementLevel: "mandatory", shard: s.name, message: `shard ${s.name} accepts endpoint ${a.vpcEndpointId} (${edge.edge}) on ${service}'s endpoint service, which no declared edge asks for. Fix: accept only the endpoints of ${service}'s declared consumers.` });
            } else if (declared.get(edge.edge)!.consumerShard !== declared.get(edge.edge)!.providerShard) {
                accepted.add(edge.edge);
            }
        }
    }
    for (const e of cross) {
        if (wired.has(key(e)) && !accepted.has(key(e)) && plan.mode === "up") {
            findings.push({ check: "env-acceptance", enforcementLevel: "mandatory", shard: e.providerShard, message: `the declared edge ${key(e)} is wired but shard ${e.providerShard} does not accept its endpoint: the connection would stay pending. Fix: the provider shard must read ${e.consumer}'s endpoint id from its stack's endpoints output and accept it.` });
        }
    }

    const quotas = environmentQuotas(plan.shards);
    for (const q of quotas.filter(q => !q.ok)) {
        findings.push({ check: "env-quotas", enforcementLevel: "mandatory", message: `account ${q.account} in ${q.region} needs ${q.need} of ${q.name} (${q.code}) over shards ${q.shards.join(", ")}, above its limit ${q.limit}. Fix: raise the quota in that account (aws service-quotas request-service-quota-increase --quota-code ${q.code} --region ${q.region}) and declare it under platform.quotas, or move shards to another account.` });
    }

    const checks: EnvChecks = { findings, wired: [...wired].sort(), accepted: [...accepted].sort(), admitted, quotas };
    if (reachability) {
        const r = reachability(plan);
        findings.push(...r.findings);
        checks.reachability = r.report;
    }
    return checks;
}

/**
 * Region-scoped quota needs summed per account and Region over the shards
 * there; the limit is the one each shard's plan compared against (the
 * declared value, else AWS's default). What exists once per account and
 * Region (the default VPC, the unreserved Lambda concurrency:
 * QuotaRow.perAccountRegion) is counted once, not once per shard.
 */
export function environmentQuotas(shards: ShardOutcome[]): EnvQuotaRow[] {
    const rows = new Map<string, EnvQuotaRow>();
    const once = new Map<string, number>();
    for (const s of shards) {
        for (const q of s.quotas as QuotaRow[]) {
            if (q.scope !== "region") continue;
            const k = `${s.account}|${s.region}|${q.code}`;
            const row = rows.get(k) ?? { account: s.account, region: s.region, code: q.code, name: q.name, shards: [], need: 0, limit: q.limit, ok: true };
            const base = Math.min(q.perAccountRegion ?? 0, q.need);
            row.need += q.need - base;
            once.set(k, Math.max(once.get(k) ?? 0, base));
            row.limit = Math.min(row.limit, q.limit);
            if (q.need > 0) row.shards.push(s.name);
            rows.set(k, row);
        }
    }
    for (const [k, r] of rows) {
        r.need += once.get(k) ?? 0;
        r.ok = r.need <= r.limit;
    }
    return [...rows.values()].filter(r => r.need > 0).sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.code.localeCompare(b.code));
}

/** Every violation of the plan: the shards' policy findings and the environment checks'. */
export function environmentViolations(plan: EnvironmentPlan, checks: EnvChecks): Violation[] {
    return [
        ...plan.shards.flatMap(s => s.violations),
        ...checks.findings.map(f => ({ policy: f.check, enforcementLevel: f.enforcementLevel, urn: null, message: f.shard ? `[${f.shard}] ${f.message}` : f.message })),
    ];
}
