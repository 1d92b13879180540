import * as pulumi from "@pulumi/pulumi";

/** Tag keys the program sets and the policy pack reads. */
export const TAG = {
    service: "privatelink:service",
    stack: "privatelink:stack",
    endpointKind: "privatelink:endpoint-kind",
    consumer: "privatelink:consumer",
    provider: "privatelink:provider",
    edge: "privatelink:edge",
    /** A store a service owns (catalog `data`): its name (components/serviceData.ts). */
    data: "privatelink:data",
} as const;

/** Facts about the account and region every component needs, resolved once by the platform. */
export interface AccountContext {
    accountId: pulumi.Input<string>;
    region: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** The role the stack's provider assumes in this account (a shard in another account; components/shardWiring.ts). */
    roleArn?: string;
}

/** Tags for a resource that belongs to one microservice. */
export function serviceTags(base: Record<string, string>, service: string, extra: Record<string, string> = {}): Record<string, string> {
    return { ...base, [TAG.service]: service, ...extra };
}

/** An IAM policy statement, as AWS documents it. */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: unknown;
    Action: string | string[];
    Resource?: pulumi.Input<string> | pulumi.Input<string>[] | pulumi.Output<string[]>;
    NotResource?: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

/**
 * A policy document as a JSON string. Statements may hold Outputs (ARNs); the
 * result stays a plain Input<string> so the policy pack sees the document
 * itself, not a reference to an invoke.
 */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Trust policy for an AWS service principal, limited to this account
 * (confused-deputy guard). `actions` for services that also tag sessions
 * (EKS Pod Identity needs sts:TagSession).
 */
export function serviceTrustPolicy(
    service: string,
    ctx: AccountContext,
    sourceArn?: pulumi.Input<string>,
    actions: string | string[] = "sts:AssumeRole",
): pulumi.Output<string> {
    const condition: NonNullable<PolicyStatement["Condition"]> = { StringEquals: { "aws:SourceAccount": ctx.accountId } };
    if (sourceArn !== undefined) {
        condition.ArnLike = { "aws:SourceArn": sourceArn };
    }
    return policyDocument([
        { Effect: "Allow", Principal: { Service: service }, Action: actions, Condition: condition },
    ]);
}

/** `orders-api` → `ORDERS_API`: the environment-variable stem for a service name. */
export function envName(service: string): string {
    return service.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}
