/**
 * Facts about EC2 instance types that ECS on EC2 needs before anything is
 * deployed: which AMI architecture a type runs, how many GPUs it has, and the
 * container sizes ECS accepts. Plain functions, no Pulumi.
 */
import type { CatalogProblem } from "./errors";
import { INSTANCE_TYPE } from "./schema";

export type Architecture = "x86_64" | "arm64";

/**
 * Graviton families carry a "g" right after the generation number (m7g,
 * c7gn, t4g, x2gd, im4gn, g5g); a1 is the first Graviton. Everything else is x86_64.
 */
export function instanceArchitecture(instanceType: string): Architecture {
    const family = instanceType.split(".")[0];
    return family === "a1" || /^[a-z]+[0-9]+g/.test(family) ? "arm64" : "x86_64";
}

/**
 * NVIDIA GPUs per instance of the GPU families ECS's GPU AMI serves
 * (undefined for a type this table does not know: the check is skipped).
 */
export function gpusPerInstance(instanceType: string): number | undefined {
    const [family, size] = instanceType.split(".");
    const bySize = GPUS[family];
    return bySize?.[size] ?? (bySize ? bySize["*"] : undefined);
}

const ONE_TO_FOUR_TO_EIGHT = { "*": 1, "12xlarge": 4, "24xlarge": 4, "48xlarge": 8 };
const GPUS: Record<string, Record<string, number>> = {
    g4dn: { "*": 1, "12xlarge": 4, metal: 8 },
    g5: ONE_TO_FOUR_TO_EIGHT,
    g6: ONE_TO_FOUR_TO_EIGHT,
    g6e: ONE_TO_FOUR_TO_EIGHT,
    p3: { "2xlarge": 1, "8xlarge": 4, "16xlarge": 8 },
    p3dn: { "24xlarge": 8 },
    p4d: { "24xlarge": 8 },
    p4de: { "24xlarge": 8 },
    p5: { "48xlarge": 8 },
    p5e: { "48xlarge": 8 },
    p5en: { "48xlarge": 8 },
};

/** Container CPU units ECS on EC2 accepts (0.125 to 192 vCPUs). */
export const ECS_EC2_CPU = { min: 128, max: 196_608 } as const;
/** Container memory (MiB, hard limit): enough for a process, at most the largest ECS host (24 TiB). */
export const ECS_EC2_MEMORY = { min: 128, max: 24 * 1024 * 1024 } as const;

/**
 * Cross-field checks of an ecs-ec2 service that the schema cannot express:
 * container sizes, one architecture for all instance types (one AMI), the
 * image's platform on that architecture, GPUs that fit on each type, and the
 * GPU AMI being x86_64 only.
 */
export function checkEcsEc2Service(at: string, entry: Record<string, unknown>, problems: CatalogProblem[]): void {
    const cpu = typeof entry.cpu === "number" ? entry.cpu : 256;
    const memory = typeof entry.memory === "number" ? entry.memory : 512;
    if (cpu < ECS_EC2_CPU.min || cpu > ECS_EC2_CPU.max) {
        problems.push({
            path: `${at}.cpu`,
            message: `${cpu} CPU units is outside what ECS on EC2 accepts: use ${ECS_EC2_CPU.min}-${ECS_EC2_CPU.max} (1024 units = 1 vCPU)`,
        });
    }
    if (memory < ECS_EC2_MEMORY.min || memory > ECS_EC2_MEMORY.max) {
        problems.push({
            path: `${at}.memory`,
            message: `${memory} MiB is outside the container memory this platform accepts: use ${ECS_EC2_MEMORY.min}-${ECS_EC2_MEMORY.max} MiB`,
        });
    }

    const typed = checkArchitecture(at, entry, "one Auto Scaling group runs one AMI", problems);
    if (typed.length === 0) {
        return;
    }
    if (typeof entry.gpus === "number") {
        for (const { t, j } of typed) {
            if (instanceArchitecture(t) === "arm64") {
                problems.push({
                    path: `${at}.instanceTypes[${j}]`,
                    message: `${t} is arm64, but ECS's GPU-optimized AMI is x86_64 only; use g4dn, g5, g6 or p-family types`,
                });
                continue;
            }
            const have = gpusPerInstance(t);
            if (have !== undefined && have < entry.gpus) {
                problems.push({
                    path: `${at}.instanceTypes[${j}]`,
                    message: `${t} has ${have} GPU${have === 1 ? "" : "s"}, but each task asks for ${entry.gpus}: no task could be placed on it; use a larger size`,
                });
            }
        }
    }
}

/**
 * The well-formed instance types of a service, after checking they share one
 * architecture (`why`: what runs them as one AMI) and that a built image's
 * platform matches it.
 */
export function checkArchitecture(
    at: string,
    entry: Record<string, unknown>,
    why: string,
    problems: CatalogProblem[],
): { t: string; j: number }[] {
    const types = Array.isArray(entry.instanceTypes) ? entry.instanceTypes : [];
    const typed = types.map((t, j) => ({ t, j })).filter((x): x is { t: string; j: number } => typeof x.t === "string" && INSTANCE_TYPE.test(x.t));
    if (typed.length === 0) {
        return typed;
    }
    const arch = instanceArchitecture(typed[0].t);
    for (const { t, j } of typed.slice(1)) {
        if (instanceArchitecture(t) !== arch) {
            problems.push({
                path: `${at}.instanceTypes[${j}]`,
                message: `${t} is ${instanceArchitecture(t)} but ${typed[0].t} is ${arch}; ${why}: list types of one architecture`,
            });
        }
    }
    const image = entry.image;
    if (typeof image === "object" && image !== null && "platform" in image) {
        const platform = (image as { platform?: unknown }).platform;
        const wanted = arch === "arm64" ? "linux/arm64" : "linux/amd64";
        if (typeof platform === "string" && platform !== wanted) {
            problems.push({
                path: `${at}.image.platform`,
                message: `${platform} does not run on ${typed[0].t} (${arch}): use ${wanted} or instance types of the image's architecture`,
            });
        }
    }
    return typed;
}
