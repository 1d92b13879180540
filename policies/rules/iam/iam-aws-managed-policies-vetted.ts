import { ATTACHMENT_TYPES, attachedPolicyArns } from "../../lib/iam";
import { ofTypes, resourceRule, subject } from "../../lib/rule";

/**
 * The AWS-managed policies the platform attaches, each with why. Every other
 * AWS-managed policy is refused: their contents change at AWS's discretion and
 * most grant whole services (AmazonS3FullAccess is s3:* on *, PowerUserAccess
 * is everything but IAM), so they are judged by what they grant, which only
 * this vetted list has been.
 */
export const VETTED_MANAGED_POLICIES: Record<string, string> = {
    "service-role/AmazonECSTaskExecutionRolePolicy":
        "ECS task execution role: ECR image pulls (ecr:GetAuthorizationToken, BatchGetImage, GetDownloadUrlForLayer) and CloudWatch Logs writes, nothing else (ECS developer guide, \"Amazon ECS task execution IAM role\").",
    AmazonEKSWorkerNodePolicy: "EKS node role: lets kubelet describe the EC2 resources of its node and join the cluster (EKS user guide, \"Amazon EKS node IAM role\").",
    AmazonEKS_CNI_Policy: "EKS node role: the VPC CNI plugin assigns and releases pod ENIs and addresses (EKS user guide, \"Amazon EKS node IAM role\").",
    AmazonEC2ContainerRegistryPullOnly: "EKS node role: image pulls only (ecr:GetAuthorizationToken, BatchGetImage, GetDownloadUrlForLayer), including the add-on images in AWS-owned registries.",
    AmazonEC2ContainerRegistryReadOnly: "EKS node role as @pulumi/eks attaches it: ECR reads (pull, describe, list); the node group of a service pulls its images.",
    AmazonEKSClusterPolicy: "EKS cluster service role: the control plane manages the ENIs, load balancers and security groups of its own cluster (EKS user guide, \"Amazon EKS cluster IAM role\").",
    AmazonEKSVPCResourceController: "EKS cluster service role: security groups for pods and trunk ENIs (EKS user guide, \"Amazon EKS cluster IAM role\").",
    AmazonEKSServicePolicy: "EKS cluster service role of older clusters, still attached by some @pulumi/eks versions (EKS user guide, \"Amazon EKS cluster IAM role\").",
    "service-role/AWSLambdaVPCAccessExecutionRole": "Lambda function role: creates and deletes the function's ENIs in its VPC and writes its logs (Lambda developer guide, \"Giving Lambda functions access to resources in an Amazon VPC\").",
    "service-role/AWSLambdaBasicExecutionRole": "Lambda function role: CloudWatch Logs writes only.",
};

const MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/;

export const iamAwsManagedPoliciesVetted = resourceRule({
    name: "iam-aws-managed-policies-vetted",
    description: "Only vetted AWS-managed policies (ECS task execution, EKS node/CNI/ECR pull, EKS cluster, Lambda VPC access/basic execution) are attached; every other AWS-managed policy is refused.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Replace the AWS-managed policy with a customer-managed or inline policy listing the actions the service calls on its own ARNs. A new AWS-managed policy joins VETTED_MANAGED_POLICIES (policies/rules/iam/iam-aws-managed-policies-vetted.ts) only with what it grants and why.",
    meta: {
        area: "iam",
        rationale:
            "AWS-managed policies are judged by what they grant: most grant whole services (AmazonS3FullAccess, PowerUserAccess, ReadOnlyAccess reads every secret's metadata and every bucket). " +
            "AWS recommends customer-managed least-privilege policies over them (IAM user guide, \"Get started with AWS managed policies and move toward least-privilege permissions\", https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html).",
        equivalents: { cdkNag: ["AwsSolutions-IAM4"], checkov: ["CKV_AWS_274"] },
    },
    validateResource: ofTypes(ATTACHMENT_TYPES, (props, args, report) => {
        for (const { where, arn } of attachedPolicyArns(args.type, props)) {
            if (typeof arn !== "string") {
                continue;
            }
            const m = MANAGED.exec(arn);
            if (m && !(m[1] in VETTED_MANAGED_POLICIES)) {
                report(
                    `${subject(args)} ${where} = ${JSON.stringify(arn)} is an AWS-managed policy the pack has not vetted (${m[1]}). ` +
                        `Fix: replace it with a customer-managed policy scoped to the service's own actions and ARNs.`,
                );
            }
        }
    }),
});
