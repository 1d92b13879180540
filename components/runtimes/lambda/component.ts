import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServicePullPrincipal, Workload, WorkloadArgs } from "../../workload";
import { lambdaTargetPort } from "./binding";
import { createFunction, functionNameOf, functionPackage, functionSpec } from "./function";

export type LambdaServiceArgs = WorkloadArgs;

/** The internal ALB in front of the function: its group, the load balancer, the function's target group and the listener. */
export interface FunctionAlb {
    securityGroup: aws.ec2.SecurityGroup;
    alb: aws.lb.LoadBalancer;
    functionTargetGroup: aws.lb.TargetGroup;
    listener: aws.lb.Listener;
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
    public readonly appRole: aws.iam.Role;
    public readonly invokable?: aws.lambda.Function;
    public readonly pullServicePrincipal?: ServicePullPrincipal;

    constructor(name: string, args: LambdaServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:runtime:LambdaService", name, {}, opts);
        const pkg = functionPackage(args.spec, args.imageUri);
        const fn = createFunction(name, args, pkg, this);
        const front = createFunctionAlb(name, args, fn.function, this);
        registerWithNlb(name, args, front, this);

        this.role = fn.role;
        this.appRole = fn.role;
        this.invokable = fn.function;
        this.logGroup = fn.logGroup;
        this.deadLetterQueue = fn.deadLetterQueue;
        this.function = fn.function;
        this.albSecurityGroup = front.securityGroup;
        this.alb = front.alb;
        this.functionTargetGroup = front.functionTargetGroup;
        this.albListener = front.listener;
        // The repository names the function's role as its reader; Lambda
        // itself reads an image function's image (pullPrincipalOf).
        this.pullRoleArn = fn.role.arn;
        this.pullServicePrincipal = pkg.kind === "image" ? pullPrincipalOf(args) : undefined;
        this.registerOutputs({
            functionArn: fn.function?.arn,
            albArn: this.alb.arn,
            functionTargetGroupArn: this.functionTargetGroup.arn,
        });
    }
}

/**
 * The internal ALB in the service's subnets, its only target the function
 * (invoked through the Lambda API with a permission for this target group
 * only), listening on the service's port for the NLB's nodes in the VPC.
 */
export function createFunctionAlb(name: string, args: LambdaServiceArgs, fn: aws.lambda.Function | undefined, parent: pulumi.Resource): FunctionAlb {
    const { spec } = args;
    const port = lambdaTargetPort(spec);
    const securityGroup = new aws.ec2.SecurityGroup(`${name}-alb`, {
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
    }, { parent });

    // Deletion protection stays off: the ALB holds no state and the
    // endpoint service depends on the NLB, not on it. Access logs would
    // need an S3 bucket per service; the function logs every request.
    const alb = new aws.lb.LoadBalancer(`${name}-alb`, {
        loadBalancerType: "application",
        internal: true,
        subnets: args.subnetIds,
        securityGroups: [securityGroup.id],
        ipAddressType: "ipv4",
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "strictest",
        idleTimeout: Math.max(60, functionSpec(spec).timeout + 5),
        tags: args.tags,
    }, { parent });

    const functionTargetGroup = new aws.lb.TargetGroup(`${name}-fn`, {
        targetType: "lambda",
        lambdaMultiValueHeadersEnabled: false,
        // The NLB already checks NLB → ALB → function on the health path;
        // a second check here would only double the health invocations.
        healthCheck: { enabled: false },
        tags: args.tags,
    }, { parent });

    // Without a function (image pending) the function target group stays
    // empty: the ALB answers 503 and the NLB's health check marks the ALB
    // unhealthy until the function exists. The graph is otherwise whole.
    if (fn) {
        const invoke = new aws.lambda.Permission(`${name}-alb-invoke`, {
            action: "lambda:InvokeFunction",
            function: fn.name,
            principal: "elasticloadbalancing.amazonaws.com",
            sourceArn: functionTargetGroup.arn,
            sourceAccount: args.account.accountId,
        }, { parent });

        new aws.lb.TargetGroupAttachment(`${name}-fn`, {
            targetGroupArn: functionTargetGroup.arn,
            targetId: fn.arn,
        }, { parent, dependsOn: [invoke] });
    }

    const listener = new aws.lb.Listener(`${name}-http`, {
        loadBalancerArn: alb.arn,
        port,
        protocol: "HTTP",
        defaultActions: [{ type: "forward", targetGroupArn: functionTargetGroup.arn }],
        tags: args.tags,
    }, { parent });
    return { securityGroup, alb, functionTargetGroup, listener };
}

/**
 * Registers the ALB with the PrivateLink NLB's `alb` target group. An `alb`
 * target group accepts the ALB only once the ALB has a listener on the
 * target group's port.
 */
export function registerWithNlb(name: string, args: LambdaServiceArgs, front: FunctionAlb, parent: pulumi.Resource): aws.lb.TargetGroupAttachment {
    return new aws.lb.TargetGroupAttachment(`${name}-alb`, {
        targetGroupArn: args.link.targetGroup.arn,
        targetId: front.alb.arn,
        port: lambdaTargetPort(args.spec),
    }, { parent, dependsOn: [front.listener, args.link.listener] });
}

/**
 * Lambda itself (lambda.amazonaws.com) reads an image function's image, when
 * the function is created or its code changes: the repository admits it for
 * this function only. The ARN is built from the name so the repository
 * policy need not wait for the function, which Lambda refuses to create
 * without access to the image.
 */
export function pullPrincipalOf(args: LambdaServiceArgs): ServicePullPrincipal {
    const { accountId, region, partition } = args.account;
    return {
        service: "lambda.amazonaws.com",
        sourceArn: pulumi.interpolate`arn:${partition}:lambda:${region}:${accountId}:function:${functionNameOf(args)}`,
    };
}
