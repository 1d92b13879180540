/**
 * Facts about EC2 instance types that the runtimes with hosts or nodes
 * (ecs-ec2, eks) need before anything is deployed: which AMI architecture a
 * type runs and how many GPUs it has. Plain functions, no Pulumi.
 */
import type { CatalogProblem } from "../catalog/errors";
import { INSTANCE_TYPE } from "../catalog/fields";

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
