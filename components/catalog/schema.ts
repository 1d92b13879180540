import { z } from "zod";
import { refusedServiceName } from "./names";
import { didYouMean } from "./suggest";
import { port, principal } from "./fields";
import { RUNTIME_FIELDS, RUNTIME_NAMES, RUNTIME_PLATFORM_FIELDS, RuntimeName } from "../runtimes";
import type { NeedsInput } from "./needsInput";
import type { ShardSpec } from "./shards";
import { AUTONAME_SUFFIX, nameLimitOf } from "../../policies/facts/name-limits";
import { ZONE_ID_PATTERN } from "../../policies/facts/zones";
import { exposeSchema, frontDoorSchema } from "./expose";
import { SUBSCRIBER_FIELDS } from "./subscribers";
import { EXTERNAL_FIELDS } from "./external";
import { PRIVATE_DNS_FIELDS } from "./privateDns";
import { NEEDS_FIELDS } from "./needs";

/** Every runtime the catalog knows: one declaration each (components/runtimes). */
export const RUNTIMES = RUNTIME_NAMES;
export type Runtime = RuntimeName;

/**
 * Longest service name that still fits AWS's 32-character load balancer and
 * target group names (policies/facts/name-limits.ts) once a 4-character
 * suffix ("-nlb") and Pulumi's 8-character random suffix ("-1a2b3c4") are added.
 */
export const MAX_SERVICE_NAME_LENGTH =
    Math.min(nameLimitOf("aws:lb/loadBalancer:LoadBalancer").max, nameLimitOf("aws:lb/targetGroup:TargetGroup").max) - "-nlb".length - AUTONAME_SUFFIX;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const SERVICE_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * `image: pending`: the service is declared but its first image is not in
 * its repository yet. The stack creates the repository and everything around
 * the workload, but runs nothing (ECS: no tasks; EKS: no Deployment; Lambda:
 * no function) until a pushed tag replaces it. The word is reserved: it is
 * never a tag the platform pulls. See docs/deployability.md#the-first-deployment-of-a-services-image.
 */
export const PENDING_IMAGE = "pending";
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

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
    .refine(n => !n.includes("--"), { error: "must not contain two hyphens in a row (AWS rejects them in several names)" })
    .superRefine((n, ctx) => {
        const why = refusedServiceName(n);
        if (why) {
            ctx.addIssue({ code: "custom", message: why });
        }
    });

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
            `must be an image tag in the service's ECR repository (e.g. "1.4.2"), a build context ` +
            `({ context: "./services/<name>" }), or "${PENDING_IMAGE}" while the first image is not pushed yet`,
    },
);

/** Protocols a notification subscriber may use (SNS subscription protocols the platform supports). */
export const SUBSCRIBER_PROTOCOLS = ["email", "https", "sqs", "lambda"] as const;

/** What each protocol's endpoint looks like, and an example for the error message. */
export const SUBSCRIBER_ENDPOINTS: Readonly<Record<(typeof SUBSCRIBER_PROTOCOLS)[number], { pattern: RegExp; example: string }>> = {
    email: { pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, example: "platform-team@example.com" },
    https: { pattern: /^https:\/\/[^\s/]+(\/\S*)?$/, example: "https://hooks.example.com/privatelink" },
    // A standard topic cannot deliver to a FIFO queue.
    sqs: { pattern: /^arn:aws(-[a-z]+)*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/, example: "arn:aws:sqs:us-east-1:<account>:endpoint-events" },
    lambda: {
        pattern: /^arn:aws(-[a-z]+)*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$/,
        example: "arn:aws:lambda:us-east-1:<account>:function:endpoint-events",
    },
};

const subscriber = z
    .strictObject({
        protocol: z.enum(SUBSCRIBER_PROTOCOLS, { error: `use one of ${SUBSCRIBER_PROTOCOLS.join(", ")}` }),
        endpoint: z.string().min(1, { error: "must not be empty" }),
    })
    .superRefine((s, ctx) => {
        const { pattern, example } = SUBSCRIBER_ENDPOINTS[s.protocol];
        if (!pattern.test(s.endpoint)) {
            ctx.addIssue({
                code: "custom",
                path: ["endpoint"],
                message:
                    `${JSON.stringify(s.endpoint)} is not a ${s.protocol} endpoint; use e.g. ${example}` +
                    (s.protocol === "sqs" && s.endpoint.endsWith(".fifo") ? " (a standard SNS topic cannot deliver to a FIFO queue)" : ""),
            });
        }
    });

/**
 * Who receives a PrivateLink endpoint service's connection events (Connect,
 * Accept, Reject, Delete) from its SNS topic. Each subscriber becomes an
 * aws.sns.TopicSubscription named after its protocol and endpoint.
 */
export const notificationsSchema = z.strictObject({
    subscribers: z
        .array(subscriber)
        .default([])
        .superRefine((list, ctx) => {
            const seen = new Map<string, number>();
            list.forEach((s, j) => {
                const key = `${s.protocol} ${s.endpoint}`;
                const first = seen.get(key);
                if (first !== undefined) {
                    ctx.addIssue({ code: "custom", path: [j], message: `${s.protocol} ${s.endpoint} is listed twice (also [${first}]); list each subscriber once` });
                } else {
                    seen.set(key, j);
                }
            });
        }),
});

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
    /** Required for container runtimes; for lambda, an image tag instead of `function.code`. */
    image: image.optional(),
    consumes: z.array(z.string()).default([]),
    scaling: scalingSchema.default({ min: 1, max: 2, cpuTarget: 60 }),
    allowedPrincipals: z.array(principal).default([]),
    /** Subscribers to this service's endpoint events, besides the platform's. */
    notifications: notificationsSchema.default({ subscribers: [] }),
    cidr: z.string().optional(),
    environment: z
        .record(
            z.string().regex(ENV_NAME, { error: iss => `${JSON.stringify(iss.input)} is not an environment variable name (A-Z, 0-9, _)` }),
            z.string(),
        )
        .default({}),
    /** The fields of the runtimes (components/runtimes/<runtime>/catalog.ts); each is refused for the runtimes that do not list it. */
    ...RUNTIME_FIELDS,
    /** Routes of the API front door to this service (components/catalog/expose.ts). */
    expose: exposeSchema.optional(),
    /** Who may connect from other accounts, and what happens to anyone else (components/catalog/subscribers.ts). */
    ...SUBSCRIBER_FIELDS,
    /** Other providers' endpoint services it consumes (components/catalog/external.ts). */
    ...EXTERNAL_FIELDS,
    /** A name of its own for its endpoint service, and the zone that proves it (components/catalog/privateDns.ts). */
    ...PRIVATE_DNS_FIELDS,
    /** What the service needs from AWS: data, uses, secrets, aws (components/catalog/needs.ts). */
    ...NEEDS_FIELDS,
});

export const platformSchema = z.strictObject({
    availabilityZones: z
        .number()
        .int()
        .min(2, { error: "must be at least 2: PrivateLink and the NLB need two or more zones to survive a zone failure" })
        .max(6)
        .default(2),
    /**
     * The zones of every service VPC by zone id (the same physical zones in
     * every account); default: chosen from the region (see catalog/zones.ts).
     */
    zoneIds: z
        .array(z.string().regex(ZONE_ID_PATTERN, {
            error: iss => `${JSON.stringify(iss.input)} is not an availability zone id; write ids such as use1-az1 ` +
                `(aws ec2 describe-availability-zones --query "AvailabilityZones[].ZoneId"), not names such as us-east-1a`,
        }), { error: "must be a list of zone ids such as [use1-az1, use1-az2]" })
        .min(2, { error: "must name at least 2 zones: PrivateLink and the NLB need two or more zones to survive a zone failure" })
        .max(6)
        .optional(),
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
    /** The runtimes' platform settings (`eks`: components/runtimes/eks/catalog.ts). */
    ...RUNTIME_PLATFORM_FIELDS,
    /** Subscribers to every service's endpoint events. */
    notifications: notificationsSchema.default({ subscribers: [] }),
    /**
     * AWS service quotas the stack relies on, by quota code, as raised in the
     * target account (policies/facts/quota-data.ts lists the codes). Trusted:
     * nothing offline can verify them.
     */
    quotas: z
        .record(
            z.string(),
            z
                .number({ error: "must be the quota value raised in the account, a whole number" })
                .int({ error: iss => `${String(iss.input)} is not a whole number; quota values are counts` })
                .positive({ error: iss => `${String(iss.input)} is not positive; declare the value the quota was raised to` }),
            { error: "must be a map of quota code to the value raised in the account, e.g. { L-F678F1CE: 20 }" },
        )
        .default({}),
    /** The Region's default VPC was deleted, so it no longer counts against VPCs per Region. */
    defaultVpcDeleted: z.boolean().default(false),
    /** The API front door's settings, required when a service has `expose` (components/catalog/expose.ts). */
    frontDoor: frontDoorSchema.optional(),
    /**
     * The customer-managed KMS key: one per stack (`stack`, the default), or
     * one per service (`service`), which moves with the service to another
     * shard's stack; see docs/scale.md#moving-a-service-between-shards.
     */
    keys: z.enum(["stack", "service"], { error: "use stack (one key per stack) or service (one key per service, which moves with it)" }).default("stack"),
});

export type ServiceInput = z.input<typeof serviceSchema>;
export type ServiceSpec = z.output<typeof serviceSchema>;
export type PlatformSpec = z.output<typeof platformSchema>;
export type ImageSpec = NonNullable<ServiceSpec["image"]>;
export type EksPlatformSpec = PlatformSpec["eks"];
export type Subscriber = PlatformSpec["notifications"]["subscribers"][number];

/** True when the service's first image is not released yet (`image: pending`). */
export function imagePending(spec: Pick<ServiceSpec, "image">): boolean {
    return spec.image === PENDING_IMAGE;
}

export interface Catalog {
    platform: PlatformSpec;
    services: ServiceSpec[];
    /** Values the stack file leaves as { needsInput: ... }: planned as absent, refused by `pulumi up`. */
    needsInput: NeedsInput[];
    /** The environment: physical names derive from it (the stack name in single-stack mode). See catalog/shards.ts. */
    environment?: string;
    /** The environment's region (`aws:region`). */
    region?: string;
    /** The accounts the stack's default AWS provider may run in (`aws:allowedAccountIds`), when declared. */
    allowedAccountIds?: string[];
    /** The environment's shards; empty or absent: one stack holds every service. */
    shards?: ShardSpec[];
    /** The shard this stack deploys; absent: every service (single-stack mode). */
    shard?: string;
}
