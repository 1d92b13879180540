import { z } from "zod";
import { didYouMean } from "./suggest";

/** Every runtime the catalog knows. */
export const RUNTIMES = ["fargate", "ecs-ec2", "eks", "lambda"] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** Runtimes this release can deploy; the others are refused with a clear message. */
export const AVAILABLE_RUNTIMES: ReadonlySet<Runtime> = new Set<Runtime>(["fargate"]);

/**
 * Longest service name that still fits AWS's 32-character load balancer and
 * target group names once a 4-character suffix ("-nlb") and Pulumi's
 * 8-character random suffix ("-1a2b3c4") are added.
 */
export const MAX_SERVICE_NAME_LENGTH = 32 - "-nlb".length - 8;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

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

const SERVICE_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:(root|role\/[\w+=,.@\/-]+|user\/[\w+=,.@\/-]+)$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

const principal = z.string().regex(PRINCIPAL_ARN, {
    error: iss =>
        `${JSON.stringify(iss.input)} is not an IAM principal ARN; use arn:aws:iam::<12-digit account>:root, ` +
        `...:role/<name> or ...:user/<name> (a wildcard would make the endpoint service public)`,
});

const serviceName = z
    .string()
    .min(1, { error: "must not be empty" })
    .max(MAX_SERVICE_NAME_LENGTH, {
        error: iss =>
            `${JSON.stringify(iss.input)} is ${String(iss.input).length} characters; at most ${MAX_SERVICE_NAME_LENGTH} fit ` +
            `AWS's 32-character load balancer and target group names once "-nlb" and Pulumi's 8-character random suffix ` +
            `are added: use a shorter name`,
    })
    .regex(SERVICE_NAME, {
        error: iss =>
            `${JSON.stringify(iss.input)} is not DNS-safe: use lowercase letters, digits and hyphens, ` +
            `starting with a letter and not ending with a hyphen`,
    })
    .refine(n => !n.includes("--"), { error: "must not contain two hyphens in a row (AWS rejects them in several names)" });

const image = z.union(
    [
        z.string().regex(IMAGE_TAG, {
            error: iss => `${JSON.stringify(iss.input)} is not a valid image tag (letters, digits, '.', '_', '-'; at most 128)`,
        }),
        z.strictObject({
            context: z.string().min(1),
            dockerfile: z.string().min(1).optional(),
            platform: z.enum(["linux/amd64", "linux/arm64"]).optional(),
        }),
    ],
    {
        error: () =>
            `must be an image tag in the service's ECR repository (e.g. "1.4.2") or a build context ` +
            `({ context: "./services/<name>" })`,
    },
);

const port = z
    .number({ error: "must be a whole number between 1 and 65535" })
    .int({ error: "must be a whole number between 1 and 65535" })
    .min(1, { error: iss => `${String(iss.input)} is out of range: use a port between 1 and 65535` })
    .max(65535, { error: iss => `${String(iss.input)} is out of range: use a port between 1 and 65535` });

export const scalingSchema = z.strictObject({
    min: z.number().int().min(1, { error: "must be at least 1 (a PrivateLink provider with no task cannot answer)" }).default(1),
    max: z.number().int().min(1).max(1000).default(2),
    cpuTarget: z.number().min(10).max(90, { error: "must be between 10 and 90 (percent CPU)" }).default(60),
});

export const serviceSchema = z.strictObject({
    name: serviceName,
    runtime: z.enum(RUNTIMES, {
        error: iss =>
            `unknown runtime ${JSON.stringify(iss.input)}${typeof iss.input === "string" ? didYouMean(iss.input, RUNTIMES) : ""}; ` +
            `use one of ${RUNTIMES.join(", ")}`,
    }),
    port,
    image,
    consumes: z.array(z.string()).default([]),
    cpu: z.number().int().default(256),
    memory: z.number().int().default(512),
    scaling: scalingSchema.default({ min: 1, max: 2, cpuTarget: 60 }),
    allowedPrincipals: z.array(principal).default([]),
    cidr: z.string().optional(),
    environment: z
        .record(
            z.string().regex(ENV_NAME, { error: iss => `${JSON.stringify(iss.input)} is not an environment variable name (A-Z, 0-9, _)` }),
            z.string(),
        )
        .default({}),
});

export const platformSchema = z.strictObject({
    availabilityZones: z
        .number()
        .int()
        .min(2, { error: "must be at least 2: PrivateLink and the NLB need two or more zones to survive a zone failure" })
        .max(6)
        .default(2),
    vpcCidr: z.string().default("10.0.0.0/16"),
    logRetentionDays: z
        .number()
        .refine(v => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
            error: iss => `${String(iss.input)} is not a CloudWatch Logs retention period; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
        })
        .default(30),
    protectStatefulResources: z.boolean().default(false),
    consumerPrincipal: principal.optional(),
    tags: z.record(z.string(), z.string()).default({}),
});

export type ServiceInput = z.input<typeof serviceSchema>;
export type ServiceSpec = z.output<typeof serviceSchema>;
export type PlatformSpec = z.output<typeof platformSchema>;
export type ImageSpec = ServiceSpec["image"];

export interface Catalog {
    platform: PlatformSpec;
    services: ServiceSpec[];
}
