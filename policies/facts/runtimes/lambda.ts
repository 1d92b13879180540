/**
 * Lambda behind the one PrivateLink provider path: NLB → target group of
 * type `alb` → an internal ALB in the service's subnets → target group of
 * type `lambda` → the function, in the service's subnets.
 */
import type { RuntimeFacts } from "./types";

export const LAMBDA: RuntimeFacts<"lambda"> = {
    name: "lambda",
    label: "Lambda",
    component: "privatelink:runtime:LambdaService",
    // Lambda needs none to run; functions add one per AWS API their code calls.
    endpoints: { interface: [], gateway: [] },
    // A function in a VPC starts without any endpoint: Lambda fetches its code
    // or image (as lambda.amazonaws.com) and ships its logs on the service side,
    // outside the function's ENIs. Only the AWS APIs its code calls need one.
    startup: [],
    startupNone:
        "AWS Lambda Developer Guide, 'Sending Lambda function logs to CloudWatch Logs' (Lambda captures and sends the logs, given the execution role's permissions: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html) and 'Giving Lambda functions access to resources in an Amazon VPC' (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html); Lambda reads an image function's image as lambda.amazonaws.com. That none of this crosses the function's ENIs is what the model assumes; only AWS can confirm it",
    types: [
        { type: "aws:cloudwatch/logGroup:LogGroup", isolation: "The function's log group, encrypted with the platform key and retained; no network reach." },
        { type: "aws:sqs/queue:Queue", isolation: "The function's dead-letter queue, encrypted with the platform key." },
        { type: "aws:iam/role:Role", isolation: "The function's execution role: its own ENIs, logs and dead-letter queue (iam-* rules, iam-role-per-service)." },
        { type: "aws:iam/rolePolicy:RolePolicy", isolation: "ENIs in the service's own subnets, its own log group and queue (iam-no-wildcard-admin-statements, iam-no-privilege-escalation)." },
        { type: "aws:lambda/function:Function", isolation: "In the service's VPC (lambda-in-vpc, lambda-* rules)." },
        { type: "aws:ec2/securityGroup:SecurityGroup", isolation: "The internal ALB's group: the service port from the VPC's own CIDR only (security-group-no-public-ingress)." },
        { type: "aws:lb/loadBalancer:LoadBalancer", isolation: "The internal ALB in front of the function (load-balancer-internal)." },
        { type: "aws:lb/targetGroup:TargetGroup", isolation: "The function as the ALB's only target." },
        { type: "aws:lambda/permission:Permission", isolation: "Invocation by the service's own target group only (lambda-permission-scoped)." },
        { type: "aws:lb/targetGroupAttachment:TargetGroupAttachment", isolation: "Registers the function with the ALB, and the ALB with the service's own NLB target group." },
        { type: "aws:lb/listener:Listener", isolation: "The internal ALB's listener on the service port." },
    ],
    workloads: [{ type: "aws:lambda/function:Function" }],
    quotas: [
        { code: "L-B99A9384", counts: "aws:lambda/function:Function" },
        { code: "L-53DA6B97", counts: "aws:lb/loadBalancer:LoadBalancer" },
    ],
};
