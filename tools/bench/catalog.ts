import { QUOTA_BY_CODE } from "../../policies/facts/quota-data";
import { exampleService, RuntimeName } from "../../components/runtimes";
import { ACCOUNT_ID } from "../preview/cloud";

/**
 * Synthetic catalogs for the benchmark: `count` Fargate services with a
 * random consumes graph drawn from a fixed seed, so every run measures the
 * same program.
 */

/** A small, well-known 32-bit PRNG (mulberry32): deterministic across platforms. */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export interface BenchService {
    name: string;
    runtime: RuntimeName;
    port: number;
    image?: string;
    consumes: string[];
    scaling: { min: number; max: number; cpuTarget: number };
    instanceTypes?: string[];
    capacity?: { min: number; max: number };
    function?: { code: string };
    expose?: Record<string, unknown>;
}

/**
 * The front door of the pack-time bench: every tenth service exposed behind
 * IAM auth (one route, GET and POST), every fiftieth with an open health
 * route, as the shipped stacks' front doors are (docs/front-door.md).
 */
export function withFrontDoor(services: BenchService[]): BenchService[] {
    return services.map((s, i) => {
        if (i % 10 !== 0) return s;
        const routes: Record<string, unknown>[] = [{ path: `/${s.name}`, methods: ["GET", "POST"] }];
        if (i % 50 === 0) routes.push({ path: `/${s.name}-health`, methods: ["GET"], auth: "none", reason: "uptime probes from outside AWS; answers 200 and no data" });
        return { ...s, expose: { auth: "iam", routes } };
    });
}

/**
 * Runtime mix of the mixed catalogs: mostly Fargate, as platforms tend to be,
 * with every other runtime present, in the order the draws are made (the
 * same seed gives the same catalog). Each service is its runtime's example
 * (components/runtimes/<runtime>/index.ts).
 */
export const BENCH_MIX: readonly [RuntimeName, number][] = [["fargate", 0.6], ["lambda", 0.15], ["ecs-ec2", 0.15], ["eks", 0.1]];

function runtimeFields(roll: number): Partial<BenchService> {
    let upTo = 0;
    for (const [runtime, share] of BENCH_MIX) {
        upTo += share;
        if (roll < upTo) return fieldsOf(runtime);
    }
    return fieldsOf(BENCH_MIX[BENCH_MIX.length - 1][0]);
}

function fieldsOf(runtime: RuntimeName): Partial<BenchService> {
    const { name: _name, port: _port, ...fields } = exampleService(runtime, "", 0);
    return fields as Partial<BenchService>;
}

/**
 * Each service consumes 0–3 others, chosen at random among all services.
 * `mixed` draws each service's runtime too (60% fargate, 15% each lambda and
 * ecs-ec2, 10% eks); otherwise every service is Fargate.
 */
export function syntheticServices(count: number, seed = 20261126, mixed = false): BenchService[] {
    const random = prng(seed);
    const names = Array.from({ length: count }, (_, i) => `svc-${String(i).padStart(4, "0")}`);
    return names.map((name, i) => {
        const wanted = Math.floor(random() * 4);
        const consumes = new Set<string>();
        while (consumes.size < Math.min(wanted, count - 1)) {
            const pick = names[Math.floor(random() * count)];
            if (pick !== name) {
                consumes.add(pick);
            }
        }
        return {
            name,
            runtime: "fargate",
            port: 8000 + (i % 1000),
            consumes: [...consumes].sort(),
            scaling: { min: 1, max: 4, cpuTarget: 60 },
            ...(mixed ? runtimeFields(random()) : { image: "1.0.0" }),
        };
    });
}

/**
 * Quotas an account running `count` synthetic services would have raised
 * (upper bounds per service: a VPC, an S3 gateway endpoint, an NLB and at
 * most an ALB, two target groups, ten security groups, 1 Fargate vCPU at the
 * scaling maximum, two m7i.large hosts, 10 reserved Lambda executions, an EKS
 * cluster), declared as a real stack of that size declares them.
 */
export function syntheticQuotas(count: number): Record<string, number> {
    const raised: Record<string, number> = {
        "L-F678F1CE": count + 1,
        "L-1B52E74A": count,
        "L-69A177A2": count,
        "L-53DA6B97": count,
        "L-B22855CB": 2 * count,
        "L-E79EC296": 10 * count,
        "L-3032A538": count,
        "L-1216C47A": 4 * count,
        "L-B99A9384": 10 * count + 100,
        "L-1194D53C": count,
    };
    return Object.fromEntries(Object.entries(raised).filter(([code, v]) => v > (QUOTA_BY_CODE.get(code)?.default ?? 0)));
}

/** The `config:` map of a stack file holding a synthetic catalog; `frontDoor` exposes some of its services (withFrontDoor), and its edge VPC counts as one more service's VPC. */
export function syntheticStackConfig(count: number, seed?: number, mixed = false, frontDoor = false): Record<string, unknown> {
    const services = syntheticServices(count, seed, mixed);
    return {
        "aws:region": "us-east-1",
        // The account the stack deploys into, declared as a stack must (README, first deploy): the offline cloud's.
        "aws:allowedAccountIds": [ACCOUNT_ID],
        "privatelink-platform:platform": {
            availabilityZones: 2,
            logRetentionDays: 30,
            eks: { publicAccessCidrs: ["34.120.7.0/24"] },
            quotas: syntheticQuotas(frontDoor ? count + 1 : count),
            ...(frontDoor ? { frontDoor: { stageName: "v1" } } : {}),
        },
        "privatelink-platform:services": frontDoor ? withFrontDoor(services) : services,
    };
}

/** The same catalog declared as one shard per service (`privatelink-platform:shards`), for the sharded bench. */
export function shardedStackConfig(count: number, seed?: number, mixed = false): Record<string, unknown> {
    const config = syntheticStackConfig(count, seed, mixed);
    const services = config["privatelink-platform:services"] as BenchService[];
    return { ...config, "privatelink-platform:shards": services.map(s => ({ name: s.name, services: [s.name] })) };
}
