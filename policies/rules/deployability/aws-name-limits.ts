import { NAME_LIMITS, NAME_PREFIX_SUFFIX, AUTONAME_SUFFIX, NameLimit } from "../../facts/name-limits";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { show, str } from "../../lib/values";

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
            "The limits are kept as data, one entry per resource type with its API reference (policies/facts/name-limits.ts): " +
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
