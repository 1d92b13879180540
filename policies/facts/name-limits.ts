/**
 * AWS's name constraints per resource type, as data with the API reference of
 * each: the pack's `aws-name-limits` rule checks every name against them, and
 * the program's catalog derives its longest service and stack names from them
 * (components/catalog/schema.ts, names.ts).
 */

/**
 * What AWS accepts as the name of a resource type, from the "Constraints"
 * (length, pattern) of the Create* call that names it. `prefix` lists names
 * AWS refuses to start with.
 */
export interface NameLimit {
    /** Resource type tokens (aliases of one AWS resource share an entry). */
    types: string[];
    /** The input holding the name. */
    prop: string;
    min: number;
    max: number;
    /** The whole name must match (anchored). */
    pattern: RegExp;
    /** The pattern in words, for the message. */
    allowed: string;
    /** Prefixes AWS refuses. */
    forbiddenPrefixes?: string[];
    /** A prefix the name must start with. */
    requiredPrefix?: string;
    /** Pulumi auto-names are lowercased for this type. */
    lower?: boolean;
    /** What the provider puts before an auto-name (KMS aliases: "alias/"). */
    autoPrefix?: string;
    /** The API reference this entry encodes. */
    source: string;
}

/** Pulumi's auto-name: the logical name, "-" and 7 random hex characters. */
export const AUTONAME_SUFFIX = 8;
/**
 * The provider's `namePrefix` forms (Terraform's PrefixedUniqueId): the prefix
 * followed by a 26-character unique suffix. So an IAM role prefix has 64 - 26
 * = 38 characters, a load balancer prefix 32 - 26 = 6.
 */
export const NAME_PREFIX_SUFFIX = 26;

const ELB = "alphanumeric characters and hyphens, not beginning or ending with a hyphen";
const ELB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const IAM_NAME = /^[\w+=,.@-]+$/;
const IAM = "letters, digits and _+=,.@-";
const ECS_NAME = /^[A-Za-z0-9_-]+$/;
const ECS = "letters, digits, underscores and hyphens";

export const NAME_LIMITS: NameLimit[] = [
    {
        types: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer"],
        prop: "name", min: 1, max: 32, pattern: ELB_NAME, allowed: ELB, forbiddenPrefixes: ["internal-"],
        source: "Elastic Load Balancing API Reference, CreateLoadBalancer, Name: at most 32 characters, only alphanumeric characters or hyphens, must not begin or end with a hyphen, must not begin with \"internal-\"",
    },
    {
        types: ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup", "aws:elasticloadbalancingv2/targetGroup:TargetGroup"],
        prop: "name", min: 1, max: 32, pattern: ELB_NAME, allowed: ELB,
        source: "Elastic Load Balancing API Reference, CreateTargetGroup, Name: at most 32 characters, only alphanumeric characters or hyphens, must not begin or end with a hyphen",
    },
    {
        types: ["aws:iam/role:Role"], prop: "name", min: 1, max: 64, pattern: IAM_NAME, allowed: IAM,
        source: "IAM API Reference, CreateRole, RoleName: length 1-64, pattern [\\w+=,.@-]+",
    },
    {
        types: ["aws:iam/policy:Policy"], prop: "name", min: 1, max: 128, pattern: IAM_NAME, allowed: IAM,
        source: "IAM API Reference, CreatePolicy, PolicyName: length 1-128, pattern [\\w+=,.@-]+",
    },
    {
        types: ["aws:iam/rolePolicy:RolePolicy"], prop: "name", min: 1, max: 128, pattern: IAM_NAME, allowed: IAM,
        source: "IAM API Reference, PutRolePolicy, PolicyName: length 1-128, pattern [\\w+=,.@-]+",
    },
    {
        types: ["aws:iam/instanceProfile:InstanceProfile"], prop: "name", min: 1, max: 128, pattern: IAM_NAME, allowed: IAM,
        source: "IAM API Reference, CreateInstanceProfile, InstanceProfileName: length 1-128, pattern [\\w+=,.@-]+",
    },
    {
        types: ["aws:ecr/repository:Repository"], prop: "name", min: 2, max: 256, lower: true,
        pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
        allowed: "lowercase path components of letters and digits separated by single '.', '_' or '-', joined by '/'",
        source: "Amazon ECR API Reference, CreateRepository, repositoryName: length 2-256, pattern (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*",
    },
    {
        types: ["aws:cloudwatch/logGroup:LogGroup"], prop: "name", min: 1, max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/,
        allowed: "letters, digits and . - _ / #",
        source: "CloudWatch Logs API Reference, CreateLogGroup, logGroupName: length 1-512, pattern [\\.\\-_/#A-Za-z0-9]+",
    },
    {
        types: ["aws:sns/topic:Topic"], prop: "name", min: 1, max: 256, pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
        allowed: "letters, digits, underscores and hyphens (a FIFO topic ends with .fifo)",
        source: "Amazon SNS API Reference, CreateTopic, Name: 1-256 ASCII letters, numbers, underscores and hyphens; a FIFO topic's name ends with .fifo",
    },
    {
        types: ["aws:sqs/queue:Queue"], prop: "name", min: 1, max: 80, pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
        allowed: "letters, digits, underscores and hyphens (a FIFO queue ends with .fifo)",
        source: "Amazon SQS API Reference, CreateQueue, QueueName: up to 80 alphanumeric characters, hyphens and underscores; a FIFO queue's name ends with .fifo",
    },
    {
        types: ["aws:lambda/function:Function"], prop: "name", min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/,
        allowed: "letters, digits, hyphens and underscores",
        source: "AWS Lambda API Reference, CreateFunction, FunctionName: a function name alone is limited to 64 characters, pattern [a-zA-Z0-9-_]+",
    },
    {
        types: ["aws:ecs/cluster:Cluster"], prop: "name", min: 1, max: 255, pattern: ECS_NAME, allowed: ECS,
        source: "Amazon ECS API Reference, CreateCluster, clusterName: up to 255 letters, numbers, underscores and hyphens",
    },
    {
        types: ["aws:ecs/service:Service"], prop: "name", min: 1, max: 255, pattern: ECS_NAME, allowed: ECS,
        source: "Amazon ECS API Reference, CreateService, serviceName: up to 255 letters, numbers, underscores and hyphens",
    },
    {
        types: ["aws:ecs/taskDefinition:TaskDefinition"], prop: "family", min: 1, max: 255, pattern: ECS_NAME, allowed: ECS,
        source: "Amazon ECS API Reference, RegisterTaskDefinition, family: up to 255 letters, numbers, underscores and hyphens",
    },
    {
        types: ["aws:ecs/capacityProvider:CapacityProvider"], prop: "name", min: 1, max: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: ECS,
        forbiddenPrefixes: ["aws", "ecs", "fargate"],
        source: "Amazon ECS API Reference, CreateCapacityProvider, name: up to 255 letters, numbers, underscores and hyphens; cannot be prefixed with aws, ecs or fargate",
    },
    {
        types: ["aws:ec2/securityGroup:SecurityGroup"], prop: "name", min: 1, max: 255, pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
        allowed: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*", forbiddenPrefixes: ["sg-"],
        source: "Amazon EC2 API Reference, CreateSecurityGroup, GroupName: up to 255 characters, cannot start with sg-; in a VPC a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
    },
    {
        types: ["aws:eks/cluster:Cluster", "eks:index:Cluster"], prop: "name", min: 1, max: 100, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
        allowed: "a letter or digit, then letters, digits, hyphens and underscores",
        source: "Amazon EKS API Reference, CreateCluster, name: length 1-100, pattern ^[0-9A-Za-z][A-Za-z0-9\\-_]*",
    },
    {
        types: ["aws:eks/nodeGroup:NodeGroup"], prop: "nodeGroupName", min: 1, max: 63, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
        allowed: "a letter or digit, then letters, digits, hyphens and underscores",
        source: "AWS CloudFormation User Guide, AWS::EKS::Nodegroup, NodegroupName (the console and eksctl limit node group names to 63 characters, the Auto Scaling group name EKS derives from it); the EKS API reference states no length",
    },
    {
        types: ["aws:ec2/launchTemplate:LaunchTemplate"], prop: "name", min: 3, max: 128, pattern: /^[A-Za-z0-9().\-/_]+$/,
        allowed: "letters, digits and ().-/_",
        source: "Amazon EC2 API Reference, CreateLaunchTemplate, LaunchTemplateName: length 3-128, pattern [a-zA-Z0-9\\(\\)\\.\\-/_]+",
    },
    {
        types: ["aws:autoscaling/group:Group"], prop: "name", min: 1, max: 255, pattern: /^[\u0020-\uD7FF\uE000-\uFFFD\t]+$/,
        allowed: "printable characters",
        source: "Amazon EC2 Auto Scaling API Reference, CreateAutoScalingGroup, AutoScalingGroupName: length 1-255, pattern [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*",
    },
    {
        types: ["aws:kms/alias:Alias"], prop: "name", min: 7, max: 256, pattern: /^alias\/[A-Za-z0-9/_-]+$/,
        allowed: "alias/ followed by letters, digits, '/', '_' and '-'", requiredPrefix: "alias/", forbiddenPrefixes: ["alias/aws/"], autoPrefix: "alias/",
        source: "AWS KMS API Reference, CreateAlias, AliasName: length 1-256, pattern ^[a-zA-Z0-9:/_-]+$, must begin with alias/, cannot begin with alias/aws/ (reserved for AWS managed keys)",
    },
];

/** The limit for a resource type token; throws for a type without one (a programming error). */
export function nameLimitOf(type: string): NameLimit {
    const limit = NAME_LIMITS.find((l) => l.types.includes(type));
    if (!limit) {
        throw new Error(`no AWS name limit is recorded for ${type} (policies/facts/name-limits.ts)`);
    }
    return limit;
}
