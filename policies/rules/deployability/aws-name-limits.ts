import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { show, str } from "../../lib/values";

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

/** The name a resource will get, and how it was given. */
export interface NameSource {
    how: "name" | "namePrefix" | "auto-name";
    /** The name, prefix or logical name as given. */
    value: string;
    /** The longest the AWS name can become from it. */
    length: number;
}

/** What AWS will be asked to call the resource: its name, its prefix plus the provider's suffix, or Pulumi's auto-name. */
export function nameSource(limit: NameLimit, props: Record<string, unknown>, logicalName: string): NameSource {
    const name = str(props[limit.prop]);
    if (name !== undefined) {
        return { how: "name", value: name, length: name.length };
    }
    const prefix = str(props[`${limit.prop}Prefix`]);
    if (prefix !== undefined) {
        return { how: "namePrefix", value: prefix, length: prefix.length + NAME_PREFIX_SUFFIX };
    }
    const auto = (limit.autoPrefix ?? "") + (limit.lower ? logicalName.toLowerCase() : logicalName);
    return { how: "auto-name", value: auto, length: auto.length + AUTONAME_SUFFIX };
}

/** Every way the name breaks the limit, in words; empty when AWS accepts it. */
export function nameProblems(limit: NameLimit, source: NameSource): string[] {
    const problems: string[] = [];
    const { value, how } = source;
    const field = how === "name" ? limit.prop : how === "namePrefix" ? `${limit.prop}Prefix` : "the logical name (auto-named)";
    if (source.length > limit.max) {
        problems.push(
            how === "name"
                ? `${field} ${show(value)} is ${value.length} characters; AWS allows at most ${limit.max}`
                : `${field} ${show(value)} becomes ${source.length} characters once the ${how === "namePrefix" ? NAME_PREFIX_SUFFIX : AUTONAME_SUFFIX}-character suffix is added; AWS allows at most ${limit.max}`,
        );
    }
    if (how === "name" && value.length < limit.min) {
        problems.push(`${field} ${show(value)} is shorter than ${limit.min} characters`);
    }
    // A prefix or auto-name is only the start of the name: test it with a valid suffix.
    const probe = how === "name" ? value : how === "namePrefix" ? `${value}0` : `${value}-0`;
    if (!limit.pattern.test(probe)) {
        problems.push(`${field} ${show(value)} has characters or a form AWS refuses (allowed: ${limit.allowed})`);
    }
    for (const p of limit.forbiddenPrefixes ?? []) {
        if (value.toLowerCase().startsWith(p)) {
            problems.push(`${field} ${show(value)} begins with ${show(p)}, which AWS refuses`);
        }
    }
    if (limit.requiredPrefix && !value.startsWith(limit.requiredPrefix)) {
        problems.push(`${field} ${show(value)} does not begin with ${show(limit.requiredPrefix)}`);
    }
    return problems;
}

const BY_TYPE = new Map(NAME_LIMITS.flatMap(l => l.types.map(t => [t, l] as const)));

export const awsNameLimits = resourceRule({
    name: "aws-name-limits",
    description: "Names the platform gives AWS resources fit AWS's length limits and patterns.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Shorten or rename: for names derived from the catalog, use a shorter service or stack name " +
        "(lowercase letters, digits and single hyphens; not beginning with internal- or sg-).",
    meta: {
        area: "deployability",
        rationale:
            "AWS refuses a Create* call whose name breaks the API's constraints, midway through `pulumi up`. " +
            "The limits are kept as data, one entry per resource type with its API reference (policies/rules/deployability/aws-name-limits.ts): " +
            "CreateLoadBalancer and CreateTargetGroup (32, alphanumeric and hyphens, not internal-), CreateRole (64, [\\w+=,.@-]+), " +
            "CreatePolicy/PutRolePolicy/CreateInstanceProfile (128), CreateRepository (ECR, 2-256, lowercase path pattern), " +
            "CreateLogGroup (512), CreateTopic (256, .fifo), CreateQueue (80), CreateFunction (64), ECS CreateCluster/CreateService/" +
            "RegisterTaskDefinition (255), CreateSecurityGroup (255, not sg-), EKS CreateCluster (100), node groups (63), " +
            "CreateLaunchTemplate (128), CreateAutoScalingGroup (255), KMS CreateAlias (alias/, not alias/aws/). " +
            "A name given as namePrefix gets a 26-character suffix from the provider, an auto-name an 8-character one from Pulumi.",
        equivalents: {},
        afterUp: "A name computed from other resources' outputs is unknown in preview; the rule decides in `up`.",
    },
    validateResource: ofTypes([...BY_TYPE.keys()], (props, args, report) => {
        const limit = BY_TYPE.get(args.type)!;
        const source = nameSource(limit, props, args.name);
        const problems = nameProblems(limit, source);
        if (problems.length > 0) {
            report(
                `${subject(args)}: ${problems.join("; ")}. AWS: ${limit.source}. ` +
                    `Fix: give a name within ${limit.min}-${limit.max} characters of ${limit.allowed}` +
                    (source.how === "auto-name" ? " (or a shorter logical name: shorten the service or stack name it is derived from)" : "") +
                    ".",
            );
        }
    }),
});
