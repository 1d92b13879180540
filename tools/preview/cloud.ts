/**
 * The fake cloud behind the offline preview: dispatch and state. What AWS
 * (and the awsx/eks remote components, and Kubernetes) answer for each
 * resource type and data source lives in one file per service under
 * tools/preview/cloud/, each citing its sources; what exists in the accounts
 * (ECR repositories and images, SSM parameters, what earlier runs created)
 * is the world (tools/preview/world.ts), which a plan reads and an `up`
 * writes. An answer given without state or source is a fallback: the cloud
 * records it (`fallbacks()`), and the plan lists it. See docs/offline-world.md.
 *
 * Deterministic: every generated id, suffix and ARN is derived from a hash of
 * the resource's URN (or of the invoke's arguments), never from a counter or
 * randomness, so the same program gives the same output every run.
 */
import type { MockCallArgs, MockResourceArgs, Mocks } from "@pulumi/pulumi/runtime/mocks";
import { FRONT_DOOR_HANDLERS, FRONT_DOOR_INVOKES } from "./cloud/apigateway";
import { AUTOSCALING } from "./cloud/autoscaling";
import { arn, Ctx, Handler, hashHex, Invoke, newCloudState, OfflineFallback, partitionOf, Props, ServiceModel, str, uuid } from "./cloud/common";
import { COMPONENTS } from "./cloud/components";
import { EC2 } from "./cloud/ec2";
import { ECR } from "./cloud/ecr";
import { ECS } from "./cloud/ecs";
import { ELBV2 } from "./cloud/elbv2";
import { EKS } from "./cloud/eks";
import { IAM } from "./cloud/iam";
import { KMS } from "./cloud/kms";
import { kubernetesHandler } from "./cloud/kubernetes";
import { LAMBDA } from "./cloud/lambda";
import { LOGS } from "./cloud/logs";
import { SNS } from "./cloud/sns";
import { SQS } from "./cloud/sqs";
import { DYNAMODB } from "./cloud/dynamodb";
import { S3 } from "./cloud/s3";
import { EVENTS } from "./cloud/events";
import { SSM } from "./cloud/ssm";
import { ROUTE53 } from "./cloud/route53";
import { STS } from "./cloud/sts";
import { isWireSecret } from "./values";
import { World } from "./world";

export type { Ctx, OfflineFallback } from "./cloud/common";
export { hashHex, partitionOf } from "./cloud/common";
export { accountZones, availabilityZones, awsManagedPrefixListId } from "./cloud/ec2";

/**
 * The fake cloud's own account (the default): twelve digits that are not one
 * of the ids AWS documentation uses (123456789012, 111122223333, …), which
 * the policy pack refuses where they come from configuration. Tests choose
 * another with `FakeCloudOptions.accountId`; never hard-code this value.
 */
export const ACCOUNT_ID = "730841926357";

export interface CloudResourceArgs extends MockResourceArgs {
    /** The resource's URN: the seed for every generated value. */
    urn: string;
    /** True for a multi-language component (awsx, eks), which the cloud answers as one resource. */
    remote?: boolean;
    /** The region of the resource's explicit provider, if it has one. */
    region?: string;
    /**
     * The account of the resource's explicit provider when it assumes a role
     * in another account (`assumedRoleAccount` of its inputs); default: the cloud's.
     */
    account?: string;
}

/** A data source call, with the account and region of the invoke's explicit provider, if any. */
export interface CloudCallArgs extends MockCallArgs {
    account?: string;
    region?: string;
    /** The role the invoke's provider assumes, if any (getCallerIdentity answers as its session). */
    roleArn?: string;
}

export interface CloudResourceResult {
    id: string | undefined;
    /** Values the provider settles while checking inputs (auto-names): known even in a preview. */
    checked: Record<string, unknown>;
    /** Values the cloud computes on create: unknown in a preview. */
    computed: Record<string, unknown>;
}

/** Every service the cloud models: one file each under tools/preview/cloud/. */
const SERVICES: ServiceModel[] = [
    EC2, ELBV2, ECR, ECS, EKS, IAM, KMS, LAMBDA, LOGS, SNS, SQS, SSM, STS, AUTOSCALING, DYNAMODB, S3, EVENTS, ROUTE53,
    { resources: FRONT_DOOR_HANDLERS as Record<string, Handler>, invokes: FRONT_DOOR_INVOKES as unknown as Record<string, Invoke> },
];

const HANDLERS: Record<string, Handler> = Object.assign({}, ...SERVICES.map(s => s.resources ?? {}));
const INVOKES: Record<string, Invoke> = Object.assign({}, ...SERVICES.map(s => s.invokes ?? {}));

/** The resource types and data sources the cloud models (its tests check each is answered). */
export const MODELLED = { resources: Object.keys(HANDLERS).sort(), invokes: Object.keys(INVOKES).sort() };

/**
 * A type no service file models. Kubernetes kinds go to the Kubernetes
 * model; a provider gets a UUID id, as the engine gives every provider
 * resource (pulumi/pulumi `pkg/resource/deploy/providers/registry.go`,
 * `Create`: `uuid.NewV4()` as the id in a non-preview). Anything else is
 * answered with a plausible id and ARN, and listed as a fallback.
 */
function genericHandler(type: string): Handler {
    const [pkg, mod = "", res = "resource"] = type.split(":");
    if (pkg === "kubernetes") return kubernetesHandler(res);
    if (pkg === "pulumi" && mod === "providers") return c => ({ id: uuid(c.hex(32)) });
    const kind = res.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
    return c => {
        c.fallback("an id and, for AWS, an ARN; no output is computed and no input is checked",
            "no service file of the offline cloud models this type (tools/preview/cloud/): the provider's own checks and outputs are unknown here");
        if (pkg === "aws") {
            const service = mod.split("/")[0] || "aws";
            const id = `${kind}-0${c.hex(16)}`;
            return { id, computed: { arn: arn(c, service, `${kind}/${id}`) } };
        }
        return { id: `${kind}-${c.hex(16)}` };
    };
}

const AUTONAME_DEFAULT = { maxLength: 255, lower: false };

export interface FakeCloudOptions {
    /** The stack's `aws:region` (default us-east-1). */
    region?: string;
    /** The account the cloud answers as (default ACCOUNT_ID); it also decides the zone name <-> id mapping. */
    accountId?: string;
    /**
     * What exists in the accounts (tools/preview/world.ts); default: a fresh
     * world, where nothing exists. The cloud reads it, and with `applies`
     * writes what it creates into it.
     */
    world?: World;
    /** The run really creates (an `up`): created repositories, parameters and resources enter the world. Default false (a preview). */
    applies?: boolean;
    /**
     * Keep AWS's create-time refusals (`refusals()`) instead of throwing them
     * at the registration: `runPreview` reports them after the policy pack,
     * as `pulumi up` runs the pack in its preview before any create.
     */
    deferRefusals?: boolean;
    /**
     * The other stacks of the backend, by fully qualified name
     * `<org>/<project>/<stack>`, with their last deployed outputs (wire form,
     * as the engine stores them): what a `StackReference` read answers. A
     * stack absent from the map does not exist, and reading it fails the run
     * (`unknown stack "<name>"`); a stack present with `{}` exists but was
     * never deployed, and reads no outputs (see stackReferenceState).
     */
    stackOutputs?: ReadonlyMap<string, Record<string, unknown>> | Record<string, Record<string, unknown>>;
    /** The organization and project that complete a short stack name (`<stack>`, `<project>/<stack>`). */
    organization?: string;
    project?: string;
}

/** The type of a stack reference: a read of the built-in provider with the stack's name as id. */
export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/**
 * A stack name as the engine resolves it: `<org>/<project>/<stack>`; a name
 * with fewer parts takes the current organization (and project).
 */
export function qualifiedStackName(name: string, defaults: { organization?: string; project?: string } = {}): string {
    const parts = name.split("/");
    const org = defaults.organization ?? "organization";
    if (parts.length >= 3) return name;
    if (parts.length === 2) return `${org}/${name}`;
    return `${org}/${defaults.project ?? "project"}/${name}`;
}

function containsWireSecret(v: unknown): boolean {
    if (v === null || typeof v !== "object") return false;
    if (isWireSecret(v)) return true;
    return Object.values(v as Props).some(containsWireSecret);
}

/** The engine's text for a StackReference read of a stack that does not exist. */
export function unknownStackMessage(name: string): string {
    return `unknown stack ${JSON.stringify(name)}`;
}

/**
 * What the engine's built-in provider answers for a `StackReference` read
 * (pulumi/pulumi v3.248.0 pkg/resource/deploy/builtins.go,
 * `readStackReference`): `name`, the stack's `outputs` and the sorted
 * `secretOutputNames` of those holding a secret.
 *
 * - A stack that does not exist fails the read, and with it the run:
 *   `backendClient.GetStackOutputs` (pkg/backend/backend.go) returns
 *   `unknown stack %q` when `GetStack` finds none, and the Pulumi Cloud
 *   backend's `GetStack` (pkg/backend/httpstate/backend.go) maps a 404 to
 *   none. Reads run in previews too ("Unlike most steps, Read steps run
 *   during previews", pkg/resource/deploy/step.go, `ReadStep.Apply`), so a
 *   preview fails the same way. Offline, a stack absent from the map
 *   (`outputs` undefined) does not exist.
 * - A stack that exists but was never deployed answers no outputs
 *   (`SnapshotStackOutputs` of an empty snapshot): `{}` in the map.
 */
export function stackReferenceState(name: string, outputs: Record<string, unknown> | undefined): Props {
    if (outputs === undefined) throw new Error(unknownStackMessage(name));
    return {
        name,
        outputs,
        secretOutputNames: Object.keys(outputs).filter(k => containsWireSecret(outputs[k])).sort(),
    };
}

/**
 * The account an `aws` provider's resources live in when it assumes a role:
 * the account of `assumeRoles[0].roleArn` (the provider's resources and
 * calls then act as that role; Terraform AWS provider docs, "assume_role").
 * The SDK sends a provider's nested inputs as JSON strings. Undefined when
 * the provider assumes no role or the ARN is not known yet.
 */
export function assumedRoleArn(providerInputs: Record<string, unknown>): string | undefined {
    let roles: unknown = providerInputs.assumeRoles ?? providerInputs.assumeRole;
    if (typeof roles === "string") {
        try {
            roles = JSON.parse(roles);
        } catch {
            return undefined;
        }
    }
    const first = Array.isArray(roles) ? roles[0] : roles;
    const roleArn = first && typeof first === "object" ? (first as Props).roleArn : undefined;
    return typeof roleArn === "string" && /^arn:[^:]+:iam::\d{12}:role\//.test(roleArn) ? roleArn : undefined;
}

export function assumedRoleAccount(providerInputs: Record<string, unknown>): string | undefined {
    return assumedRoleArn(providerInputs)?.split(":")[4];
}

/** The fake cloud: a `Mocks` implementation for the SDK, with the extra split of checked/computed values. */
export class FakeCloud implements Mocks {
    readonly region: string;
    readonly accountId: string;
    readonly world: World;
    readonly applies: boolean;
    private readonly state = newCloudState();
    private readonly stacks: ReadonlyMap<string, Record<string, unknown>>;
    private readonly names: { organization?: string; project?: string };
    private readonly taken = new Map<string, OfflineFallback>();
    private readonly refused: Error[] = [];
    private readonly deferRefusals: boolean;

    constructor(opts: FakeCloudOptions = {}) {
        this.region = opts.region ?? "us-east-1";
        this.accountId = opts.accountId ?? ACCOUNT_ID;
        this.world = opts.world ?? World.fresh();
        this.applies = opts.applies ?? false;
        this.deferRefusals = opts.deferRefusals ?? false;
        // The backend's stacks are the world's (one place: after an `up` the
        // world holds the stack's outputs, tools/preview/index.ts); the given
        // ones are added to it (a caller that knows other stacks' outputs).
        const given = opts.stackOutputs ?? {};
        for (const [name, outputs] of given instanceof Map ? given : Object.entries(given)) this.world.stacks.set(name, outputs);
        this.stacks = this.world.stacks;
        this.names = { organization: opts.organization, project: opts.project };
        if (!/^\d{12}$/.test(this.accountId)) {
            throw new Error(`the fake cloud's account id must be 12 digits, not ${JSON.stringify(this.accountId)}`);
        }
    }

    /** AWS's create-time refusals of this run (with `deferRefusals`), in order. */
    refusals(): Error[] {
        return [...this.refused];
    }

    /** Every fallback the cloud took in this run, in the order taken (each once). */
    fallbacks(): OfflineFallback[] {
        return [...this.taken.values()];
    }

    private record(f: OfflineFallback): void {
        const key = `${f.urn ?? f.call}|${f.type}|${f.assumed}`;
        if (!this.taken.has(key)) this.taken.set(key, f);
    }

    private context(type: string, urn: string, name: string, inputs: Props, applies: boolean, providerRegion?: string, account?: string, readId?: string): Ctx {
        const region = str(inputs.region) ?? providerRegion ?? this.region;
        const hex = (n: number, purpose = "") => hashHex(`${urn}|${purpose}`, n);
        const where = account ?? this.accountId;
        return {
            urn,
            name,
            type,
            inputs,
            region,
            partition: partitionOf(region),
            account: where,
            state: this.state,
            world: this.world.at({ account: where, region }),
            applies,
            hex,
            autoname(prop = "name", opts = {}) {
                const given = str(inputs[prop]);
                if (given) return given;
                const o = { ...AUTONAME_DEFAULT, ...opts };
                const prefix = str(inputs[`${prop}Prefix`]);
                let base = prefix ? prefix.replace(/-$/, "") : name;
                if (o.lower) base = base.toLowerCase();
                base = base.slice(0, Math.max(1, o.maxLength - 8));
                return `${base}-${hex(7, "name")}`;
            },
            fallback: (assumed, why) => this.record({ urn, type, assumed, why }),
            ...(readId ? { readId } : {}),
            refuse: (error: Error) => {
                if (!applies) return; // a preview calls no create API
                if (!this.deferRefusals) throw error;
                this.refused.push(error);
            },
        };
    }

    /** Answers one resource registration with its id, check-time values and computed outputs. */
    resource(args: CloudResourceArgs): CloudResourceResult {
        if (args.type === STACK_REFERENCE_TYPE && !args.remote) {
            // The id of a stack reference is the referenced stack's name.
            const name = str(args.id) ?? str((args.inputs as Props | undefined)?.name) ?? args.name;
            const state = stackReferenceState(name, this.stackOutputsOf(name));
            return { id: name, checked: {}, computed: state };
        }
        const handler = args.remote
            ? COMPONENTS[args.type] ?? genericHandler(args.type)
            : HANDLERS[args.type] ?? genericHandler(args.type);
        const inputs = (args.inputs ?? {}) as Props;
        // A read or import (an id given) creates nothing.
        const applies = this.applies && !args.id;
        const c = this.context(args.type, args.urn, args.name, inputs, applies, args.region, args.account, args.id || undefined);
        const r = handler(c);
        const id = args.id ? args.id : r.id || undefined;
        if (applies && id !== undefined && !args.remote) c.world.resources.set(args.urn, { type: args.type, id });
        return { id, checked: r.checked ?? {}, computed: r.computed ?? {} };
    }

    /** The `Mocks` interface: a resource's id and its whole state (inputs, check-time values, outputs). */
    newResource(args: MockResourceArgs): { id: string | undefined; state: Props } {
        const urn = (args as Partial<CloudResourceArgs>).urn ?? `urn:pulumi:stack::project::${args.type}::${args.name}`;
        const r = this.resource({ ...args, urn });
        // As the monitor does: the program's inputs win over what the cloud computes.
        return { id: r.id, state: { ...r.checked, ...r.computed, ...(args.inputs as Props) } };
    }

    /** The outputs of another stack (by any form of its name), or undefined when the map has none. */
    stackOutputsOf(name: string): Record<string, unknown> | undefined {
        return this.stacks.get(qualifiedStackName(name, this.names));
    }

    /** Data sources (invokes). An unknown token fails with an error naming it. */
    call(args: CloudCallArgs): Props {
        const inputs = (args.inputs ?? {}) as Props;
        const region = str(inputs.region) ?? args.region ?? this.region;
        const account = args.account ?? this.accountId;
        const partition = partitionOf(region);
        const seed = `${args.token}|${JSON.stringify(inputs)}`;
        const invoke = INVOKES[args.token];
        if (!invoke) {
            throw new Error(`the offline preview's fake cloud has no data source '${args.token}'; model it in tools/preview/cloud/<service>.ts, with its source`);
        }
        const call = `${args.token}(${JSON.stringify(inputs)})`;
        return invoke({
            token: args.token,
            inputs,
            region,
            partition,
            account,
            roleArn: args.roleArn,
            state: this.state,
            interfaces: this.state.interfaces,
            world: this.world.at({ account, region }),
            hex: (n, p = "") => hashHex(`${seed}|${p}`, n),
            fallback: (assumed, why) => this.record({ call, type: args.token, assumed, why }),
        });
    }
}
