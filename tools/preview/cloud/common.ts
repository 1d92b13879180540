/**
 * What every service file of the fake cloud shares: the context a handler
 * gets, the deterministic id helpers, and the provider's not-found error.
 *
 * Sources for the shared formats:
 * - ARNs `arn:<partition>:<service>:<region>:<account>:<resource>` (IAM User
 *   Guide, "IAM identifiers" / AWS General Reference, "Amazon Resource Names").
 * - Partitions `aws`, `aws-cn`, `aws-us-gov` by region prefix (AWS General
 *   Reference, "AWS partitions").
 * - Pulumi auto-naming `<logical name>-<7 random hex>` (Pulumi docs,
 *   "Resource names: autonaming"; pulumi-terraform-bridge `AutoName`).
 */
import { createHash } from "crypto";
import { UNKNOWN_SENTINEL } from "../values";
import type { AccountWorld } from "../world";
import { NetworkInterfaceState, newNetworkInterfaceState } from "./interfaces";

export type { NetworkInterfaceState };

export type Props = Record<string, unknown>;

/** A fallback the cloud took: an answer it gave without state or source (listed in the plan). */
export interface OfflineFallback {
    /** The resource's URN, for a registration. */
    urn?: string;
    /** The data source's token and arguments, for an invoke. */
    call?: string;
    /** The resource type or data source token. */
    type: string;
    /** What the cloud assumed. */
    assumed: string;
    /** Why that is safe here, or why it cannot be known offline. */
    why: string;
}

/** What the cloud remembers of resources it created in this run, to follow references (by id / ARN). */
export interface CloudState {
    /** Subnet id -> its zone and CIDR. */
    subnets: Map<string, { availabilityZone: string; availabilityZoneId: string; vpcId?: string; cidrBlock?: string }>;
    /** VPC id -> its IPv4 CIDR block. */
    vpcs: Map<string, { cidrBlock?: string }>;
    /** Load balancer ARN -> the ids of its subnets. */
    loadBalancerSubnets: Map<string, string[]>;
    /** Endpoint service name -> its id (service names an interface endpoint may name). */
    endpointServices: Map<string, string>;
    /** Subnet CIDRs, interface endpoints' network interfaces and their IPs (cloud/apigateway.ts). */
    interfaces: NetworkInterfaceState;
}

export function newCloudState(): CloudState {
    return { subnets: new Map(), vpcs: new Map(), loadBalancerSubnets: new Map(), endpointServices: new Map(), interfaces: newNetworkInterfaceState() };
}

export interface Ctx {
    urn: string;
    name: string;
    type: string;
    inputs: Props;
    region: string;
    partition: string;
    /** The account the cloud answers as. */
    account: string;
    /** What the cloud remembers of resources it created in this run (subnets, load balancers). */
    state: CloudState;
    /** The account's state in the world (ECR, SSM, ...), in this region. */
    world: AccountWorld;
    /** True when the resource is really created (an `up`), false in a preview: only then does the world change. */
    applies: boolean;
    /** `n` hex digits derived from the URN and a purpose. */
    hex(n: number, purpose?: string): string;
    /** A physical name: the input if given, else `<name>-<7 hex>` like Pulumi's auto-naming. */
    autoname(prop?: string, opts?: { maxLength?: number; lower?: boolean; prefix?: string }): string;
    /** Records that this answer is a fallback (listed in the plan). */
    fallback(assumed: string, why: string): void;
    /** The id given when the resource is read or imported (`Resource.get`), not created. */
    readId?: string;
    /**
     * AWS refuses the create (an `up` only: a preview calls no create API).
     * Under `pulumi up` the policy pack runs in the preview before any create,
     * so the cloud reports the refusal after the pack (tools/preview/index.ts).
     */
    refuse(error: Error): void;
}

export type Handler = (c: Ctx) => { id: string; checked?: Props; computed?: Props };

export interface InvokeCtx {
    token: string;
    inputs: Props;
    region: string;
    partition: string;
    account: string;
    /** The role the caller assumed, if any. */
    roleArn?: string;
    /** What the cloud remembers of resources it created in this run. */
    state: CloudState;
    /** What the cloud remembers of network interfaces (reads of endpoints' ENIs). */
    interfaces: NetworkInterfaceState;
    /** The account's state in the world, in this region. */
    world: AccountWorld;
    hex(n: number, purpose?: string): string;
    /** Records that this answer is a fallback (listed in the plan). */
    fallback(assumed: string, why: string): void;
}

export type Invoke = (c: InvokeCtx) => Props;

/** What one service file of the cloud answers. */
export interface ServiceModel {
    resources?: Record<string, Handler>;
    invokes?: Record<string, Invoke>;
}

export function hashHex(seed: string, n: number): string {
    let out = "";
    for (let i = 0; out.length < n; i++) {
        out += createHash("sha256").update(i === 0 ? seed : `${seed}#${i}`).digest("hex");
    }
    return out.slice(0, n);
}

export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

export function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** A string input whose value is known (not empty, not unknown in a preview). */
export function known(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && v !== UNKNOWN_SENTINEL ? v : undefined;
}

export function asArray(v: unknown): unknown[] {
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

export function uuid(hex32: string): string {
    return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-4${hex32.slice(13, 16)}-a${hex32.slice(17, 20)}-${hex32.slice(20, 32)}`;
}

export function upperAlnum(hex: string): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let out = "";
    for (let i = 0; i + 1 < hex.length; i += 2) out += alphabet[parseInt(hex.slice(i, i + 2), 16) % alphabet.length];
    return out;
}

export function arn(c: Pick<Ctx, "partition" | "region" | "account">, service: string, resource: string, opts: { region?: string; account?: string } = {}): string {
    return `arn:${c.partition}:${service}:${opts.region ?? c.region}:${opts.account ?? c.account}:${resource}`;
}

/** Id like `vpc-0` followed by 16 hex digits (17 hex digits in all), as EC2 issues them (EC2 API reference, "Resource IDs"). */
export function ec2Id(c: Pick<Ctx, "hex">, prefix: string): string {
    return `${prefix}-0${c.hex(16, prefix)}`;
}

/**
 * The error a bridged data source reports when its finder wraps AWS's
 * not-found exception in terraform-plugin-sdk's `retry.NotFoundError`: the
 * read prefixes `reading <thing>: ` (`sdkdiag.AppendErrorf`), and
 * `NotFoundError.Error()` without a custom message is `couldn't find
 * resource` (terraform-plugin-sdk `helper/retry/error.go`). The AWS
 * exception's name never reaches the program.
 */
export function providerNotFound(reading: string): Error {
    return new Error(`${reading}: couldn't find resource`);
}

/**
 * An AWS API error as the provider reports a failed create: `creating <thing>:
 * operation error <Service>: <Operation>, https response error StatusCode:
 * 400, RequestID: <id>, api error <Code>: <message>` (aws-sdk-go-v2
 * `smithy.OperationError` and `smithy.GenericAPIError` formats, wrapped by
 * terraform-provider-aws' `sdkdiag.AppendErrorf(diags, "creating ...: %s")`).
 */
export function apiError(creating: string, service: string, operation: string, code: string, message: string): Error {
    return new Error(`${creating}: operation error ${service}: ${operation}, https response error StatusCode: 400, RequestID: 00000000-0000-4000-a000-000000000000, api error ${code}: ${message}`);
}
