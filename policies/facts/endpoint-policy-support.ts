/**
 * Which AWS services accept a VPC endpoint policy: DATA, one entry per service
 * (the name after `com.amazonaws.<region>.`), each with where that is stated.
 *
 * Shared by the program (components/isolatedVpc.ts imports it; the program
 * attaches a policy only where `support` is "supported") and the policy pack (deployability rule
 * `endpoint-policy-supported`, advisory `aws-service-endpoint-policy`). It
 * lives in the pack because the pack is published on its own
 * (`pulumi policy publish` packs this directory only).
 *
 * A service that does not support endpoint policies refuses CreateVpcEndpoint
 * and ModifyVpcEndpoint with "Service <name> only supports the full-access
 * endpoint policy" — even for a document that is itself full access
 * (awslabs/landing-zone-accelerator-on-aws#224, pulumi/pulumi-aws-native#1711).
 *
 * The truth per region is `VpcEndpointPolicySupported` in
 * `aws ec2 describe-vpc-endpoint-services` (EC2 API ServiceDetail; the
 * Terraform/Pulumi data source `aws.ec2.getVpcEndpointService` exposes it as
 * `vpcEndpointPolicySupported`). AWS can change it; re-check with:
 *
 *   aws ec2 describe-vpc-endpoint-services --region <region> \
 *     --query 'ServiceDetails[].[ServiceName,VpcEndpointPolicySupported]' --output text
 *
 * A service NOT in this list: the program attaches no policy (the endpoint
 * gets AWS's default full-access policy, which every service accepts), and
 * the mandatory rule stays silent (it cannot know). Add the service here with
 * its source once describe-vpc-endpoint-services or its documentation says.
 */

export type EndpointPolicySupport =
    /** The service accepts a custom endpoint policy. */
    | "supported"
    /** The service accepts only the default full-access policy: set none. */
    | "full-access-only"
    /** No AWS source found either way: set none (always accepted) until verified. */
    | "unverified";

export interface EndpointPolicySupportEntry {
    /** The service name after `com.amazonaws.<region>.` (e.g. `ecr.dkr`). */
    service: string;
    support: EndpointPolicySupport;
    /** Where AWS says so (documentation title and URL, an AWS sample, or an AWS-answered issue). */
    source: string;
}

export const ENDPOINT_POLICY_SUPPORT: readonly EndpointPolicySupportEntry[] = [
    {
        service: "s3",
        support: "supported",
        source: "Amazon VPC, \"Gateway endpoints for Amazon S3\" (endpoint policies); ECR user guide, \"Minimum Amazon S3 bucket permissions for Amazon ECR\" https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html",
    },
    {
        service: "dynamodb",
        support: "supported",
        source: "Amazon VPC, \"Gateway endpoints for Amazon DynamoDB\" (endpoint policies) https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-ddb.html",
    },
    {
        service: "ecr.api",
        support: "supported",
        source: "ECR user guide, \"Create the endpoint policy for your Amazon ECR VPC endpoints\" https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html; aws-samples/data-perimeter-policy-examples vpc_endpoint_policies/ecr.api_endpoint_policy.json",
    },
    {
        service: "ecr.dkr",
        support: "supported",
        source: "ECR user guide, \"Create the endpoint policy for your Amazon ECR VPC endpoints\" (applies to ecr.api and ecr.dkr); AWS Containers blog \"Using VPC endpoint policies to control Amazon ECR access\"",
    },
    {
        service: "ecs",
        support: "supported",
        source: "ECS developer guide, \"Amazon ECS interface VPC endpoints (AWS PrivateLink)\" (endpoint policy for the ecs endpoint) https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html; awsdocs/amazon-ecs-developer-guide#55",
    },
    {
        service: "ecs-agent",
        support: "full-access-only",
        source: "awsdocs/amazon-ecs-developer-guide#55 (\"PrivateLink policies are supported on the ecs endpoint, but not on the ecs-agent and ecs-telemetry endpoints\")",
    },
    {
        service: "ecs-telemetry",
        support: "full-access-only",
        source: "awsdocs/amazon-ecs-developer-guide#55 (\"PrivateLink policies are supported on the ecs endpoint, but not on the ecs-agent and ecs-telemetry endpoints\")",
    },
    {
        service: "logs",
        support: "supported",
        source: "CloudWatch Logs user guide, \"Using CloudWatch Logs with interface VPC endpoints\" (creating a VPC endpoint policy for CloudWatch Logs) https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch-logs-and-interface-VPC.html",
    },
    {
        service: "ec2",
        support: "supported",
        source: "aws-samples/data-perimeter-policy-examples vpc_endpoint_policies/ec2_endpoint_policy.json",
    },
    {
        service: "sts",
        support: "supported",
        source: "aws-samples/data-perimeter-policy-examples vpc_endpoint_policies/sts_endpoint_policy.json",
    },
    {
        service: "elasticloadbalancing",
        support: "supported",
        source: "ELB user guide, \"Access ELB using an interface endpoint (AWS PrivateLink)\", section \"Create a VPC endpoint policy for ELB\" https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/load-balancer-vpc-endpoints.html",
    },
    {
        service: "eks",
        support: "supported",
        source: "EKS user guide, \"Access Amazon EKS using AWS PrivateLink\" (use VPC endpoint policies) https://docs.aws.amazon.com/eks/latest/userguide/vpc-interface-endpoints.html; awsdocs/amazon-eks-user-guide#873 (\"EKS now supports endpoint policies\", 2025-02); before that AWS answered \"only supports the full-access endpoint policy\" (awslabs/landing-zone-accelerator-on-aws#224)",
    },
    {
        service: "eks-auth",
        support: "unverified",
        source: "EKS user guide, \"Access Amazon EKS using AWS PrivateLink\", lists com.amazonaws.<region>.eks-auth without saying whether it takes an endpoint policy; the PrivateLink guide's service list has no policy column. Check VpcEndpointPolicySupported.",
    },
    {
        service: "oidc-eks",
        support: "full-access-only",
        source: "EKS user guide, \"Access Amazon EKS using AWS PrivateLink\": \"This endpoint does not support VPC endpoint policies ... accepts only the default full-access policy\"",
    },
    {
        service: "ssm",
        support: "supported",
        source: "aws-samples/data-perimeter-policy-examples vpc_endpoint_policies/ssm_endpoint_policy.json",
    },
    {
        service: "lambda",
        support: "supported",
        source: "aws-samples/data-perimeter-policy-examples vpc_endpoint_policies/lambda_endpoint_policy.json",
    },
    {
        service: "sqs",
        support: "supported",
        source: "SQS developer guide, \"Internetwork traffic privacy in Amazon SQS\", section \"Creating an Amazon VPC endpoint policy for Amazon SQS\" https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-internetwork-traffic-privacy.html",
    },
    {
        service: "sns",
        support: "supported",
        source: "SNS developer guide, \"Creating an Amazon VPC endpoint policy for Amazon SNS\" https://docs.aws.amazon.com/sns/latest/dg/sns-vpc-endpoint-policy.html",
    },
    {
        service: "secretsmanager",
        support: "supported",
        source: "Secrets Manager user guide, \"Using an AWS Secrets Manager VPC endpoint\" (create an endpoint policy for your Secrets Manager VPC endpoint) https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html",
    },
];

const BY_SERVICE = new Map(ENDPOINT_POLICY_SUPPORT.map((e) => [e.service, e]));

/** The entry for a service (name after `com.amazonaws.<region>.`), if the list has one. */
export function endpointPolicySupport(service: string): EndpointPolicySupportEntry | undefined {
    return BY_SERVICE.get(service);
}

/** Whether the program may attach a custom policy: only where the list says "supported". */
export function acceptsEndpointPolicy(service: string): boolean {
    return endpointPolicySupport(service)?.support === "supported";
}

/**
 * `com.amazonaws.us-east-1.ecr.dkr` -> { region: "us-east-1", service: "ecr.dkr" }.
 * Undefined for anything else, including endpoint services (`com.amazonaws.vpce.…`).
 */
export function parseAwsServiceName(serviceName: string): { region: string; service: string } | undefined {
    const m = /^com\.amazonaws\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(.+)$/.exec(serviceName);
    if (!m || m[1] === "vpce" || m[2].startsWith("vpce-svc-")) {
        return undefined;
    }
    return { region: m[1], service: m[2] };
}

/** The partition of a region (`cn-*` aws-cn, `us-gov-*` aws-us-gov, otherwise aws). */
export function partitionOfRegion(region: string): string {
    if (region.startsWith("cn-")) {
        return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
        return "aws-us-gov";
    }
    return "aws";
}

/**
 * The AWS-owned bucket ECR serves private image layers from, per region
 * (ECR user guide, "Minimum Amazon S3 bucket permissions for Amazon ECR").
 */
export function ecrLayerBucketArn(partition: string, region: string): string {
    return `arn:${partition}:s3:::prod-${region}-starport-layer-bucket`;
}
