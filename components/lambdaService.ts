import * as aws from "@pulumi/aws";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformServiceArgs } from "./privateLinkService";
import { imagePending, serviceSchema, ServiceSpec } from "./catalog";
import { AccountContext, PolicyStatement, policyDocument, serviceTrustPolicy } from "./shared";
import type { ServicePullPrincipal, Workload, WorkloadArgs } from "./workload";

export type LambdaServiceArgs = WorkloadArgs;

/** The path the NLB's health check asks for, through the ALB, answered by the function. */
export const LAMBDA_HEALTH_PATH = "/health";

/** The function settings of a lambda service, with the catalog's defaults. */
export type FunctionSpec = NonNullable<ServiceSpec["function"]>;

/**
 * The function block of a lambda service with the catalog's defaults (the
 * schema fills them in only when `function` is present; an image function
 * may leave it out).
 */
export function functionSpec(spec: ServiceSpec): FunctionSpec {
    return spec.function ?? serviceSchema.shape.function.unwrap().parse({});
}

/**
 * The NLB target group's port for a lambda service: the internal ALB's
 * listener, which listens on the service's own port.
 */
export function lambdaTargetPort(spec: ServiceSpec): number {
    return spec.port;
}

/**
 * The NLB target group's health check for an `alb` target: HTTP to the ALB's
 * listener, so a healthy answer means NLB → ALB → function all work.
 */
export function lambdaHealthCheck(spec: ServiceSpec): NonNullable<PlatformServiceArgs["healthCheck"]> {
    return {
        enabled: true,
        protocol: "HTTP",
        port: String(lambdaTargetPort(spec)),
        path: LAMBDA_HEALTH_PATH,
        matcher: "200-399",
        interval: 30,
        timeout: 10,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
    };
}

/** Lambda's architecture: arm64 for zip code (cheaper per GB-s, runtime-neutral); an image's own platform otherwise. */
export function functionArchitecture(spec: ServiceSpec): "arm64" | "x86_64" {
    if (spec.image === undefined) {
        return "arm64";
    }
    return typeof spec.image === "object" && spec.image.platform === "linux/arm64" ? "arm64" : "x86_64";
}

/** Where the function's code comes from: a directory of the repository (zip) or the service's ECR image. */
export type FunctionPackage =
    | { kind: "zip"; directory: string }
    | { kind: "image"; imageUri: pulumi.Input<string> };

/** Decides the package the catalog asks for; the catalog validation already refused both or neither. */
export function functionPackage(spec: ServiceSpec, imageUri: pulumi.Input<string> | undefined, projectDir = process.cwd()): FunctionPackage {
    const code = spec.function?.code;
    if (code !== undefined && spec.image !== undefined) {
        throw new Error(`${spec.name}: a function has either function.code or image, not both`);
    }
    if (code !== undefined) {
        return { kind: "zip", directory: path.resolve(projectDir, code) };
    }
    if (spec.image !== undefined && imageUri !== undefined) {
        return { kind: "image", imageUri };
    }
    throw new Error(`${spec.name}: runtime lambda needs function.code (a directory) or image`);
}

export interface FunctionRoleResources {
    subnetArns: pulumi.Input<string>[];
    securityGroupArn: pulumi.Input<string>;
    logGroupArn: pulumi.Input<string>;
    /** Absent for a function invoked only synchronously (a dead-letter queue serves asynchronous invocations only). */
    deadLetterQueueArn?: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
}

/**
 * The execution role's only permissions: manage the function's ENIs in its
 * own subnets, write its own log group, and send failed asynchronous events
 * to its own dead-letter queue (encrypted with the platform key).
 */
export function functionRoleStatements(account: AccountContext, r: FunctionRoleResources): PolicyStatement[] {
    const { accountId, region, partition } = account;
    const networkInterfaces = pulumi.interpolate`arn:${partition}:ec2:${region}:${accountId}:network-interface/*`;
    return [
        {
            // ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets have no
            // resource-level permissions: AWS accepts only "*" for them.
            Sid: "DescribeForEnis",
            Effect: "Allow",
            Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
            Resource: "*",
        },
        {
            // CreateNetworkInterface is authorized against the new ENI, the
            // subnet and the security group: naming the service's subnets and
            // its one group keeps ENIs out of any other VPC. No condition keys
            // (ec2:Vpc, ec2:Subnet): Lambda checks the role by simulating the
            // call on network-interface/* without that context when the function
            // is created, and a condition there makes creation fail.
            Sid: "CreateEnisInOwnSubnets",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterface",
            Resource: [networkInterfaces, ...r.subnetArns, r.securityGroupArn],
        },
        {
            // The ENI ids are only known to Lambda: AWS documents that
            // DeleteNetworkInterface must be allowed on every ENI id (or Lambda
            // cannot leave the VPC), so this account's and region's ENIs.
            Sid: "ManageOwnEnis",
            Effect: "Allow",
            Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
            Resource: networkInterfaces,
        },
        {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${r.logGroupArn}:log-stream:*`,
        },
        ...(r.deadLetterQueueArn === undefined ? [] : [<PolicyStatement>{
            Sid: "SendToOwnDeadLetterQueue",
            Effect: "Allow",
            Action: "sqs:SendMessage",
            Resource: r.deadLetterQueueArn,
        }, <PolicyStatement>{
            // The queue is encrypted with the platform key; only through SQS.
            Sid: "EncryptDeadLetters",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: r.kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`sqs.${region}.amazonaws.com` } },
        }]),
    ];
}

/**
 * A Lambda function behind the same PrivateLink provider path as every other
 * runtime: NLB (TCP, spec.port) → target group of type `alb` → an internal
 * ALB in the service's subnets → target group of type `lambda` → the
 * function. The function runs in the service VPC's private subnets with the
 * service's workload security group (no ingress for this runtime, egress only
 * to the endpoints it consumes), reserved concurrency, a KMS-encrypted
 * dead-letter queue and its own encrypted, retained log group.
 */
export class LambdaService extends pulumi.ComponentResource implements Workload {
    public readonly role: aws.iam.Role;
    public readonly logGroup: aws.cloudwatch.LogGroup;
    public readonly deadLetterQueue: aws.sqs.Queue;
    /** None while the function's image is pending: Lambda creates an image function only from an existing image. */
    public readonly function?: aws.lambda.Function;
    public readonly albSecurityGroup: aws.ec2.SecurityGroup;
    public readonly alb: aws.lb.LoadBalancer;
    public readonly functionTargetGroup: aws.lb.TargetGroup;
    public readonly albListener: aws.lb.Listener;
    public readonly pullRoleArn: pulumi.Output<string>;
    public readonly pullServicePrincipal?: ServicePullPrincipal;

    constructor(name: string, args: LambdaServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:runtime:LambdaService", name, {}, opts);
        const parent = { parent: this };
        const { spec, account } = args;
        const { accountId, region, partition } = account;
        const fn = functionSpec(spec);
        const pkg = functionPackage(spec, args.imageUri);
        const port = lambdaTargetPort(spec);
        const functionName = `${args.environmentName}-${spec.name}`;

        // --- the function -------------------------------------------------

        this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: `/aws/lambda/${functionName}`,
            retentionInDays: args.platform.logRetentionDays,
            kmsKeyId: args.kmsKeyArn,
            tags: args.tags,
        }, parent);

        this.deadLetterQueue = new aws.sqs.Queue(`${name}-dlq`, {
            kmsMasterKeyId: args.kmsKeyArn,
            kmsDataKeyReusePeriodSeconds: 300,
            messageRetentionSeconds: 14 * 24 * 3600,
            tags: args.tags,
        }, parent);

        this.role = new aws.iam.Role(`${name}-fn`, {
            description: `Lambda execution role of ${spec.name}: its ENIs, its logs, its dead-letter queue`,
            assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", account),
            tags: args.tags,
        }, parent);

        const arnOf = (type: string, id: pulumi.Input<string>) => pulumi.interpolate`arn:${partition}:ec2:${region}:${accountId}:${type}/${id}`;
        const rolePolicy = new aws.iam.RolePolicy(`${name}-fn`, {
            role: this.role.id,
            policy: policyDocument(functionRoleStatements(account, {
                subnetArns: args.subnetIds.map(id => arnOf("subnet", id)),
                securityGroupArn: arnOf("security-group", args.securityGroupId),
                logGroupArn: this.logGroup.arn,
                deadLetterQueueArn: this.deadLetterQueue.arn,
                kmsKeyArn: args.kmsKeyArn,
            })),
        }, parent);

        const variables = Object.keys(args.environment).length > 0 ? { variables: args.environment } : undefined;
        // An image function is created from an image that must already be in
        // the repository (CreateFunction reads it): while the image is pending
        // there is no function, only everything around it.
        const fnResource = imagePending(spec) ? undefined : new aws.lambda.Function(`${name}-fn`, {
            name: functionName,
            description: `${spec.name}: behind its internal ALB and the PrivateLink NLB`,
            role: this.role.arn,
            ...(pkg.kind === "zip"
                ? {
                    packageType: "Zip",
                    code: new pulumi.asset.FileArchive(pkg.directory),
                    handler: fn.handler,
                    runtime: fn.runtime,
                }
                : { packageType: "Image", imageUri: pkg.imageUri }),
            architectures: [functionArchitecture(spec)],
            memorySize: fn.memorySize,
            timeout: fn.timeout,
            reservedConcurrentExecutions: fn.reservedConcurrency,
            environment: variables,
            vpcConfig: {
                subnetIds: args.subnetIds,
                securityGroupIds: [args.securityGroupId],
            },
            deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
            loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
            tags: args.tags,
            // ENI permissions must exist before Lambda validates the VPC configuration.
        }, { parent: this, dependsOn: [rolePolicy] });
        this.function = fnResource;

        // --- the ALB in front of it -----------------------------------------

        this.albSecurityGroup = new aws.ec2.SecurityGroup(`${name}-alb`, {
            vpcId: args.vpcId,
            description: `${spec.name} internal ALB: ${port} from the NLB nodes in the VPC; it reaches the function through the Lambda API`,
            ingress: [{
                protocol: "tcp",
                fromPort: port,
                toPort: port,
                cidrBlocks: [args.vpcCidr],
                description: "Service port from the NLB nodes in this VPC",
            }],
            egress: [],
            tags: { ...args.tags, Name: `${spec.name}-alb` },
        }, parent);

        // Deletion protection stays off: the ALB holds no state and the
        // endpoint service depends on the NLB, not on it. Access logs would
        // need an S3 bucket per service; the function logs every request.
        this.alb = new aws.lb.LoadBalancer(`${name}-alb`, {
            loadBalancerType: "application",
            internal: true,
            subnets: args.subnetIds,
            securityGroups: [this.albSecurityGroup.id],
            ipAddressType: "ipv4",
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "strictest",
            idleTimeout: Math.max(60, fn.timeout + 5),
            tags: args.tags,
        }, parent);

        this.functionTargetGroup = new aws.lb.TargetGroup(`${name}-fn`, {
            targetType: "lambda",
            lambdaMultiValueHeadersEnabled: false,
            // The NLB already checks NLB → ALB → function on the health path;
            // a second check here would only double the health invocations.
            healthCheck: { enabled: false },
            tags: args.tags,
        }, parent);

        // Without a function (image pending) the function target group stays
        // empty: the ALB answers 503 and the NLB's health check marks the ALB
        // unhealthy until the function exists. The graph is otherwise whole.
        if (fnResource) {
            const invoke = new aws.lambda.Permission(`${name}-alb-invoke`, {
                action: "lambda:InvokeFunction",
                function: fnResource.name,
                principal: "elasticloadbalancing.amazonaws.com",
                sourceArn: this.functionTargetGroup.arn,
                sourceAccount: accountId,
            }, parent);

            new aws.lb.TargetGroupAttachment(`${name}-fn`, {
                targetGroupArn: this.functionTargetGroup.arn,
                targetId: fnResource.arn,
            }, { parent: this, dependsOn: [invoke] });
        }

        this.albListener = new aws.lb.Listener(`${name}-http`, {
            loadBalancerArn: this.alb.arn,
            port,
            protocol: "HTTP",
            defaultActions: [{ type: "forward", targetGroupArn: this.functionTargetGroup.arn }],
            tags: args.tags,
        }, parent);

        // --- registered with the PrivateLink NLB ------------------------------

        // An `alb` target group accepts the ALB only once the ALB has a
        // listener on the target group's port.
        new aws.lb.TargetGroupAttachment(`${name}-alb`, {
            targetGroupArn: args.link.targetGroup.arn,
            targetId: this.alb.arn,
            port,
        }, { parent: this, dependsOn: [this.albListener, args.link.listener] });

        // The repository names the function's role as its reader. Lambda
        // itself (lambda.amazonaws.com) reads an image function's image, when
        // the function is created or its code changes: the repository admits
        // it for this function only. The ARN is built from the name so the
        // repository policy need not wait for the function, which Lambda
        // refuses to create without access to the image.
        this.pullRoleArn = this.role.arn;
        if (pkg.kind === "image") {
            this.pullServicePrincipal = {
                service: "lambda.amazonaws.com",
                sourceArn: pulumi.interpolate`arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`,
            };
        }
        this.registerOutputs({
            functionArn: fnResource?.arn,
            albArn: this.alb.arn,
            functionTargetGroupArn: this.functionTargetGroup.arn,
        });
    }
}
