/**
 * Values only the stack's owner can know: where `pulumi up` runs, who
 * administers the clusters, which other accounts may connect. A shipped
 * stack leaves them as an explicit marker instead of a made-up value:
 *
 *     publicAccessCidrs: { needsInput: "egress CIDRs of the machines that run pulumi up" }
 *
 * The catalog accepts the marker for exactly the fields listed in
 * NEEDS_INPUT_FIELDS. Until it is replaced, the value plans as absent (the
 * field's default, an empty list: no public endpoint, no extra access entry,
 * no extra principal), `pulumi preview` and the offline plan list it with how
 * to find it and the command to set it, and `pulumi up` refuses to start
 * (components/preflight.ts). Plain functions, no Pulumi.
 */
import type { CatalogProblem } from "./errors";
import { FRONT_DOOR_NEEDS_INPUT } from "./expose-inputs";
import { readsPlatformField } from "../runtimes";
import { DEPLOYING_ACCOUNT_KEY } from "../../policies/facts/aws-accounts";

export const CONFIG_NAMESPACE = "privatelink-platform";

/** One field that may be left as needs-input. */
export interface NeedsInputField {
    /** The field as a pattern: `platform.eks.publicAccessCidrs`, `services[].allowedPrincipals`; a last `.*` stands for any key. */
    field: string;
    /** What the value is, for someone who has never seen the project. */
    what: string;
    /** Where its value comes from. */
    howToFind: string;
    /** An example list entry for the set command. */
    example: string;
    /** What removing the marker (leaving the list empty) means. */
    ifNone: string;
    /** Whether the stack uses the field at all (an unused marker is not asked for). */
    usedBy: (services: unknown[]) => boolean;
    /** A single value rather than a list: set in place, not as its first entry. */
    scalar?: boolean;
    /** The whole configuration key when it is not `privatelink-platform:<field>` (a provider's own key, `aws:allowedAccountIds`). */
    configKey?: string;
}

/**
 * The account the stack deploys into: `aws:allowedAccountIds`, read by the
 * AWS provider itself, which refuses to run with credentials of any account
 * the list does not name (terraform-provider-aws internal/conns/config.go,
 * ConfigureProvider: VerifyAccountIDAllowed; the Pulumi provider's config
 * `allowedAccountIds: string[]`, @pulumi/aws 7.48.0 config/vars.d.ts). The
 * policy pack judges every account the plan names against it (policies/lib/identity.ts).
 */
export { DEPLOYING_ACCOUNT_KEY };

const DEPLOYING_ACCOUNT_NEEDS_INPUT: NeedsInputField = {
    field: DEPLOYING_ACCOUNT_KEY,
    configKey: DEPLOYING_ACCOUNT_KEY,
    what:
        "the 12-digit AWS account this stack deploys into: the AWS provider refuses credentials of any other account, and the policy pack " +
        "judges every account the plan names against it (the environment's own, or declared)",
    howToFind:
        "`aws sts get-caller-identity --query Account` run with the credentials that run `pulumi up` (a shard in another account keeps " +
        "this environment's account here: its own is shards[].account). Never an AWS documentation account (123456789012, 111122223333, ...)",
    example: "<12-digit account id>",
    ifNone: "not an option: with no deploying account declared the policy pack refuses the stack (identity-accounts-declared)",
    usedBy: () => true,
};

/** A subscriber's account or principal (components/catalog/subscribers.ts): until given, the subscriber admits no one. */
const SUBSCRIBER_NEEDS_INPUT: readonly NeedsInputField[] = (["account", "principal"] as const).map(field => ({
    field: `services[].subscribers[].${field}`,
    what:
        field === "account"
            ? "the AWS account of a subscriber of this service: its connection requests are accepted automatically until the subscriber's expiry date"
            : "the IAM role or user, in a subscriber's account, that creates the interface endpoint to this service",
    howToFind:
        "ask the subscriber's contact: `aws sts get-caller-identity --query " + (field === "account" ? "Account" : "Arn") + "` run with the credentials that will create the endpoint. " +
        "Never an AWS documentation account (123456789012, 111122223333, ...)",
    example: field === "account" ? "<12-digit account id>" : "arn:aws:iam::<their account>:role/<role>",
    ifNone: "remove the subscriber instead: a subscriber with no account admits no one",
    usedBy: () => true,
    scalar: true,
}));

/** An external service's name (components/catalog/external.ts): until given, no endpoint is created for it. */
const EXTERNAL_NEEDS_INPUT: NeedsInputField = {
    field: "services[].external[].serviceName",
    what: "the endpoint service name another provider gives you for its PrivateLink service (com.amazonaws.vpce.<region>.vpce-svc-...): the service reaches it through an interface endpoint in its VPC",
    howToFind:
        "the provider gives it, after admitting your account (ask for the name in this stack's Region and the zone ids it is offered in); " +
        "`aws ec2 describe-vpc-endpoint-services --service-names <name>` run here then lists it with its zones",
    example: "com.amazonaws.vpce.<region>.vpce-svc-<17 hex digits>",
    ifNone: "remove the external entry instead: without a service name nothing is created for it",
    usedBy: () => true,
    scalar: true,
};

/** A service's private DNS name (components/catalog/privateDns.ts): until given, consumers use the endpoint's own DNS names. */
const PRIVATE_DNS_NAME_NEEDS_INPUT: NeedsInputField = {
    field: "services[].privateDnsName",
    what:
        "the DNS name consumers call this service by (api.<your domain>), set as its endpoint service's private DNS name: a consumer whose endpoint " +
        "enables private DNS resolves it to that endpoint, once AWS has verified you own the domain",
    howToFind:
        "a name under a public domain your organisation owns and serves from Route 53 in this account (`aws route53 list-hosted-zones`); " +
        "never an AWS-owned domain",
    example: "<service>.<your domain>",
    ifNone: "remove privateDnsName and privateDnsZoneId instead: consumers keep the endpoint's own DNS names",
    usedBy: () => true,
    scalar: true,
};

/** The public hosted zone of a service's private DNS name (components/catalog/privateDns.ts): until given, the name is set but not verified. */
const PRIVATE_DNS_ZONE_NEEDS_INPUT: NeedsInputField = {
    field: "services[].privateDnsZoneId",
    what:
        "the public Route 53 hosted zone of the service's privateDnsName, in the stack's account: the stack writes the TXT record that proves " +
        "the name is yours, and consumers can use the name once AWS has verified it",
    howToFind:
        "`aws route53 list-hosted-zones-by-name --dns-name <the name's domain> --query 'HostedZones[?Config.PrivateZone==`false`].Id'` " +
        "(the id after /hostedzone/). A zone in another account, or at another DNS provider, cannot be written by the stack: remove privateDnsName and " +
        "add the record there by hand (docs/saas.md#a-name-of-ones-own)",
    example: "Z<letters and digits>",
    ifNone: "remove privateDnsName instead: without the zone the name is never verified, and consumers keep the endpoint's own DNS names",
    usedBy: () => true,
    scalar: true,
};

/** Whether a service of the stack has a runtime that reads `platform.eks`. */
const hasEks = (services: unknown[]) => services.some(s => isRecord(s) && readsPlatformField(s.runtime, "eks"));

export const NEEDS_INPUT_FIELDS: readonly NeedsInputField[] = [
    DEPLOYING_ACCOUNT_NEEDS_INPUT,
    {
        field: "platform.eks.publicAccessCidrs",
        what:
            "the public egress CIDRs of the machines that run `pulumi up` (CI runners, a workstation): Pulumi applies the " +
            "Kubernetes objects through each EKS cluster's API endpoint, whose public side admits only these",
        howToFind:
            "on the machine that runs Pulumi, `curl -s https://checkip.amazonaws.com` gives its address (use it as a /32); " +
            "for CI, your CI provider's published egress ranges or your NAT gateways' Elastic IPs " +
            "(`aws ec2 describe-nat-gateways --query 'NatGateways[].NatGatewayAddresses[].PublicIp'`). " +
            "Never 0.0.0.0/0 and never a documentation range (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)",
        example: "<egress IP>/32",
        ifNone:
            "the API endpoint stays private, and no machine outside the service VPC can reach it (this platform gives no " +
            "route in), so the Kubernetes objects could not be applied: `pulumi up` refuses to start while the stack has an eks service",
        usedBy: hasEks,
    },
    {
        field: "platform.eks.adminRoleArns",
        what:
            "IAM roles that get cluster-admin (AmazonEKSClusterAdminPolicy) on every `eks` service's cluster, besides the " +
            "role that runs `pulumi up`, which EKS already made cluster admin as the cluster's creator",
        howToFind:
            "`aws iam list-roles --query 'Roles[].Arn'`; an IAM Identity Center permission set is a role named " +
            "AWSReservedSSO_<permission set>_<suffix> under the path /aws-reserved/sso.amazonaws.com/. Not the role " +
            "`aws sts get-caller-identity` shows where Pulumi runs: EKS refuses a second access entry for it",
        example: "arn:aws:iam::<your account>:role/<admin role>",
        ifNone: "only the role that runs `pulumi up` administers the clusters",
        usedBy: hasEks,
    },
    {
        field: "platform.eks.viewRoleArns",
        what: "IAM roles that get read-only access (AmazonEKSViewPolicy) on every `eks` service's cluster",
        howToFind:
            "`aws iam list-roles --query 'Roles[].Arn'` (your on-call or read-only role); not a role in adminRoleArns, " +
            "and not the role that runs `pulumi up`",
        example: "arn:aws:iam::<your account>:role/<read-only role>",
        ifNone: "no read-only access entries",
        usedBy: hasEks,
    },
    {
        field: "services[].allowedPrincipals",
        what:
            "principals in other AWS accounts allowed to request a connection to this service's endpoint service " +
            "(a partner, another team's account); consumers inside this stack are allowed already",
        howToFind:
            "ask the other account's owner for the account id (`aws sts get-caller-identity --query Account` run there) " +
            "and use arn:aws:iam::<account>:root, or the ARN of the role that will create the interface endpoint",
        example: "arn:aws:iam::<their account>:root",
        ifNone: "only consumers inside this stack can connect",
        usedBy: () => true,
    },
    ...SUBSCRIBER_NEEDS_INPUT,
    EXTERNAL_NEEDS_INPUT,
    PRIVATE_DNS_NAME_NEEDS_INPUT,
    PRIVATE_DNS_ZONE_NEEDS_INPUT,
    ...FRONT_DOOR_NEEDS_INPUT,
    {
        // Any key of a service's secrets (`*` stands for the variable name).
        field: "services[].secrets.*",
        what:
            "a secret the service reads at run time, which another team or a person owns (a database password, a partner's API key): " +
            "the ARN of its Secrets Manager secret, or the ARN of its SSM SecureString parameter (docs/catalog.md#secrets)",
        howToFind:
            "`aws secretsmanager describe-secret --secret-id <name> --query ARN` (the full ARN, with its 6-character suffix), or " +
            "`aws ssm get-parameter --name <name> --query Parameter.ARN`; in the account and Region of the stack",
        example: "arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>",
        ifNone: "the variable is not set in the service's environment and its role reads no secret: remove the entry from secrets if the code does not need it",
        usedBy: () => true,
        scalar: true,
    },
    {
        field: "shards[].account",
        what:
            "the 12-digit AWS account a shard deploys into (docs/scale.md#accounts): Pulumi assumes the shard's role there, and the " +
            "shard's providers admit that account (arn:aws:iam::<account>:root) as a consumer",
        howToFind:
            "the account's owner runs `aws sts get-caller-identity --query Account` there, or `aws organizations list-accounts " +
            "--query 'Accounts[].[Name,Id]'` from the management account; the shard's role must exist in it and trust the " +
            "identity that runs Pulumi. Never 123456789012 (the AWS documentation account)",
        example: "<12-digit account id>",
        ifNone:
            "the shard deploys into the account of the credentials that run Pulumi: remove account, role and previewRole from the shard " +
            "in the environment file instead",
        usedBy: () => true,
        scalar: true,
    },
];

/** One value the stack still needs, at a concrete path. */
export interface NeedsInput {
    /** Catalog path, e.g. `services[1].allowedPrincipals`. */
    path: string;
    /** The service it belongs to, for service fields. */
    service?: string;
    /** The stack file's own words in the marker. */
    note: string;
    what: string;
    howToFind: string;
    /** Commands that set it (run from the project directory). */
    set: string[];
    /** The command that answers "none", and what that means. */
    none: { command: string; means: string };
}

/** The marker: an object with exactly one key, `needsInput`, a non-empty text. */
export function isNeedsInputMarker(value: unknown): value is { needsInput: string } {
    return isRecord(value) && "needsInput" in value;
}

function fieldFor(path: string): NeedsInputField | undefined {
    const pattern = path.replace(/\[\d+\]/g, "[]");
    return NEEDS_INPUT_FIELDS.find(f => f.field === pattern || (f.field.endsWith(".*") && pattern.startsWith(f.field.slice(0, -1)) && !pattern.slice(f.field.length - 1).includes(".")));
}

/** `privatelink-platform:services[0].allowedPrincipals` — the key `pulumi config --path` takes. */
export function configPath(path: string): string {
    return `${CONFIG_NAMESPACE}:${path}`;
}

export function commandsFor(path: string, field: NeedsInputField, stack?: string): Pick<NeedsInput, "set" | "none"> {
    const s = stack ? ` --stack ${stack}` : "";
    const key = field.configKey ?? configPath(path);
    const rm = `pulumi config rm${s} --path '${key}'`;
    if (field.scalar) {
        return { set: [`pulumi config set${s} --path '${key}' ${field.example.startsWith("\"$(") ? field.example : `'${field.example}'`}`], none: { command: rm, means: field.ifNone } };
    }
    return {
        set: [rm, `pulumi config set${s} --path '${key}[0]' '${field.example}'`],
        none: { command: rm, means: field.ifNone },
    };
}

export interface ExtractedNeedsInput {
    /** The raw catalog with every accepted marker removed (the field then takes its default). */
    platform: unknown;
    services: unknown;
    shards?: unknown;
    /** `aws:allowedAccountIds` as given; absent when it is a needs-input marker. */
    allowedAccountIds?: unknown;
    needsInput: NeedsInput[];
    problems: CatalogProblem[];
}

/**
 * Finds every needs-input marker in the raw catalog: accepted ones are
 * removed and listed (when the stack uses the field), misplaced or malformed
 * ones are problems.
 */
export function extractNeedsInput(raw: { platform?: unknown; services?: unknown; shards?: unknown; allowedAccountIds?: unknown }, stack?: string): ExtractedNeedsInput {
    const needsInput: NeedsInput[] = [];
    const problems: CatalogProblem[] = [];
    const services = Array.isArray(raw.services) ? raw.services : [];
    /** A marker accepted at `at` for `field`: listed, or a problem when malformed. */
    const accept = (v: Record<string, unknown>, at: string, field: NeedsInputField): void => {
        const extra = Object.keys(v).filter(k => k !== "needsInput");
        if (typeof v.needsInput !== "string" || v.needsInput.trim() === "" || extra.length > 0) {
            problems.push({
                path: at,
                message: `a needs-input marker is exactly { needsInput: "<what the value is>" }; ${extra.length > 0 ? `remove ${extra.join(", ")}` : "say what the value is"}`,
            });
            return;
        }
        if (!field.usedBy(services)) {
            return; // nothing in the stack reads it: planned as its default
        }
        const service = /^services\[(\d+)\]/.exec(at);
        const entry = service ? services[Number(service[1])] : undefined;
        needsInput.push({
            path: at,
            ...(isRecord(entry) && typeof entry.name === "string" ? { service: entry.name } : {}),
            note: v.needsInput.trim(),
            what: field.what,
            howToFind: field.howToFind,
            ...commandsFor(at, field, stack),
        });
    };
    // The deploying account, in the provider's own namespace: the marker stands for the whole list.
    if (isNeedsInputMarker(raw.allowedAccountIds)) accept(raw.allowedAccountIds, DEPLOYING_ACCOUNT_KEY, DEPLOYING_ACCOUNT_NEEDS_INPUT);
    const strip = (value: unknown, path: string): unknown => {
        if (Array.isArray(value)) {
            return value.map((v, i) => {
                if (isNeedsInputMarker(v)) {
                    problems.push({ path: `${path}[${i}]`, message: `put the needs-input marker in place of the whole list (${path}: { needsInput: ... }), not inside it` });
                }
                return strip(v, `${path}[${i}]`);
            });
        }
        if (!isRecord(value)) {
            return value;
        }
        const out: Record<string, unknown> = {};
        for (const [key, v] of Object.entries(value)) {
            const at = path ? `${path}.${key}` : key;
            if (!isNeedsInputMarker(v)) {
                out[key] = strip(v, at);
                continue;
            }
            const field = fieldFor(at);
            if (!field) {
                problems.push({
                    path: at,
                    message:
                        `only ${NEEDS_INPUT_FIELDS.map(f => f.field).join(", ")} may be left as { needsInput: ... }; ` +
                        `give this field a value`,
                });
                continue;
            }
            accept(v, at, field);
        }
        return out;
    };
    return {
        platform: raw.platform === undefined ? undefined : strip(raw.platform, "platform"),
        services: raw.services === undefined ? undefined : strip(raw.services, "services"),
        ...(raw.shards === undefined ? {} : { shards: strip(raw.shards, "shards") }),
        ...(raw.allowedAccountIds === undefined || isNeedsInputMarker(raw.allowedAccountIds) ? {} : { allowedAccountIds: raw.allowedAccountIds }),
        needsInput,
        problems,
    };
}

/** The list as text: one block per value (used by `pulumi up`'s refusal, `pulumi preview`'s warning and the offline plan). */
export function formatNeedsInput(items: readonly NeedsInput[], indent = "  "): string {
    return items
        .map(n =>
            [
                `${indent}${n.path}${n.service ? ` (${n.service})` : ""}: ${n.note}`,
                `${indent}    what: ${n.what}`,
                `${indent}    how to find it: ${n.howToFind}`,
                `${indent}    set it: ${n.set.join(" && ")}`,
                `${indent}    or, for none: ${n.none.command}  (${n.none.means})`,
            ].join("\n"),
        )
        .join("\n");
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
