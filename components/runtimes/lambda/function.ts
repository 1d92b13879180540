import * as aws from "@pulumi/aws";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { imagePending, ServiceSpec } from "../../catalog";
import { AccountContext, PolicyStatement, policyDocument, serviceTrustPolicy } from "../../shared";
import type { WorkloadArgs } from "../../workload";
import { functionSchema } from "./catalog";

/** The function settings of a lambda service, with the catalog's defaults. */
export type FunctionSpec = NonNullable<ServiceSpec["function"]>;

/**
 * The function block of a lambda service with the catalog's defaults (the
 * schema fills them in only when `function` is present; an image function
 * may leave it out).
 */
export function functionSpec(spec: ServiceSpec): FunctionSpec {
    return spec.function ?? functionSchema.parse({});
}

/** The function's name: account-wide, so scoped by the environment. */
export function functionNameOf(args: WorkloadArgs): string {
    return `${args.environmentName}-${args.spec.name}`;
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

/** The function and what it alone uses: its log group, dead-letter queue and execution role. */
export interface FunctionCore {
    logGroup: aws.cloudwatch.LogGroup;
    deadLetterQueue: aws.sqs.Queue;
    role: aws.iam.Role;
    /** None while the function's image is pending: Lambda creates an image function only from an existing image. */
    function?: aws.lambda.Function;
}

/**
 * The function in the service VPC's private subnets with the service's
 * workload security group, reserved concurrency, a KMS-encrypted
 * dead-letter queue and its own encrypted, retained log group; its role may
 * manage only its ENIs, write its logs and send to its queue.
 */
export function createFunction(name: string, args: WorkloadArgs, pkg: FunctionPackage, parent: pulumi.Resource): FunctionCore {
    const { spec, account } = args;
    const { accountId, region, partition } = account;
    const fn = functionSpec(spec);
    const functionName = functionNameOf(args);

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
        name: `/aws/lambda/${functionName}`,
        retentionInDays: args.platform.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
        tags: args.tags,
    }, { parent });

    const deadLetterQueue = new aws.sqs.Queue(`${name}-dlq`, {
        kmsMasterKeyId: args.kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        messageRetentionSeconds: 14 * 24 * 3600,
        tags: args.tags,
    }, { parent });

    const role = new aws.iam.Role(`${name}-fn`, {
        description: `Lambda execution role of ${spec.name}: its ENIs, its logs, its dead-letter queue`,
        assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", account),
        tags: args.tags,
    }, { parent });

    const arnOf = (type: string, id: pulumi.Input<string>) => pulumi.interpolate`arn:${partition}:ec2:${region}:${accountId}:${type}/${id}`;
    const rolePolicy = new aws.iam.RolePolicy(`${name}-fn`, {
        role: role.id,
        policy: policyDocument(functionRoleStatements(account, {
            subnetArns: args.subnetIds.map(id => arnOf("subnet", id)),
            securityGroupArn: arnOf("security-group", args.securityGroupId),
            logGroupArn: logGroup.arn,
            deadLetterQueueArn: deadLetterQueue.arn,
            kmsKeyArn: args.kmsKeyArn,
        })),
    }, { parent });

    const variables = Object.keys(args.environment).length > 0 ? { variables: args.environment } : undefined;
    // An image function is created from an image that must already be in
    // the repository (CreateFunction reads it): while the image is pending
    // there is no function, only everything around it.
    const fnResource = imagePending(spec) ? undefined : new aws.lambda.Function(`${name}-fn`, {
        name: functionName,
        description: `${spec.name}: behind its internal ALB and the PrivateLink NLB`,
        role: role.arn,
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
        deadLetterConfig: { targetArn: deadLetterQueue.arn },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        tags: args.tags,
        // ENI permissions must exist before Lambda validates the VPC configuration.
    }, { parent, dependsOn: [rolePolicy] });
    return { logGroup, deadLetterQueue, role, function: fnResource };
}
