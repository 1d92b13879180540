/**
 * The catalog fields of a fargate service: task CPU and memory, which
 * Fargate accepts only in fixed combinations. Plain functions, no Pulumi.
 */
import type { CatalogProblem } from "../../catalog/errors";
import { SHARED_FIELDS } from "../../catalog/fields";

export const FARGATE_FIELDS = {
    cpu: SHARED_FIELDS.cpu,
    memory: SHARED_FIELDS.memory,
};

/** Fargate task sizes: CPU units and the memory (MiB) each allows. */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
    const out: number[] = [];
    for (let v = from; v <= to; v += step) {
        out.push(v);
    }
    return out;
}

/** A task size Fargate offers: the CPU, and memory allowed with it. */
export function checkFargateService(entry: Record<string, unknown>, at: string, problems: CatalogProblem[]): void {
    const cpu = typeof entry.cpu === "number" ? entry.cpu : 256;
    const memory = typeof entry.memory === "number" ? entry.memory : 512;
    const memories = FARGATE_MEMORY_BY_CPU[cpu];
    if (!memories) {
        problems.push({
            path: `${at}.cpu`,
            message: `${cpu} is not a Fargate CPU size; use one of ${Object.keys(FARGATE_MEMORY_BY_CPU).join(", ")}`,
        });
        return;
    }
    if (!memories.includes(memory)) {
        problems.push({
            path: `${at}.memory`,
            message:
                `${memory} MiB is not valid with cpu ${cpu} on Fargate; ` +
                (memories.length <= 4
                    ? `use one of ${memories.join(", ")} MiB`
                    : `use ${memories[0]}-${memories[memories.length - 1]} MiB in steps of ${memories[1] - memories[0]}`),
        });
    }
}
