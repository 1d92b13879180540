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
    runtime: "fargate";
    port: number;
    image: string;
    consumes: string[];
    scaling: { min: number; max: number; cpuTarget: number };
}

/** Each service consumes 0–3 others, chosen at random among all services. */
export function syntheticServices(count: number, seed = 20261126): BenchService[] {
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
            image: "1.0.0",
            consumes: [...consumes].sort(),
            scaling: { min: 1, max: 4, cpuTarget: 60 },
        };
    });
}

/** The `config:` map of a stack file holding a synthetic catalog. */
export function syntheticStackConfig(count: number, seed?: number): Record<string, unknown> {
    return {
        "aws:region": "us-east-1",
        "privatelink-platform:platform": { availabilityZones: 2, logRetentionDays: 30 },
        "privatelink-platform:services": syntheticServices(count, seed),
    };
}
