import { environmentIdentity, declares, describeSet, IDENTITY_CONFIG_SCHEMA, IdentityConfig } from "../../lib/identity";
import { judgedForIdentity, undeclaredDeployingAccount } from "../../lib/identity-plan";
import { accountRefs } from "../../lib/identity-walk";
import { nowOf } from "../../lib/exemptions";
import { planGraph } from "../../lib/plan/graph";
import { stackRule } from "../../lib/rule";

const ENDPOINT_SERVICE_PRINCIPALS: readonly [string, string][] = [
    ["aws:ec2/vpcEndpointService:VpcEndpointService", "allowedPrincipals"],
    ["aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple", "principalArn"],
];

const DESCRIPTION =
    "Every account the plan names (a principal or resource ARN in any property, an account id, a policy's principal, a condition naming an account, principal or organization, a provider's role) is one the environment declares, or a declared exception with a reason and an expiry; a wildcard account names any account.";

export const identityAccountsDeclared = stackRule({
    name: "identity-accounts-declared",
    description: DESCRIPTION,
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Declare the deploying account (pulumi config set --path 'aws:allowedAccountIds[0]' <id>); name only the environment's accounts (aws:allowedAccountIds, shard accounts, allowedPrincipals, declared subscribers); declare a partner in this policy's `exceptions` with a reason and an expiry, or in the catalog.",
    configSchema: { properties: { ...IDENTITY_CONFIG_SCHEMA } },
    meta: {
        area: "iam",
        rationale:
            "Another account can be named anywhere, not only as a policy's principal: in a condition (kms:CallerAccount, aws:PrincipalArn patterns with a wildcard account, aws:SourceArn of a service principal), " +
            "in an EKS access entry, a destination ARN or a provider's role. The IAM User Guide lists the keys that name accounts, principals and organizations " +
            "(\"AWS global condition context keys\", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html; kms:CallerAccount in the AWS KMS Developer Guide, " +
            "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html). \"Own\" comes from configuration only, never from the plan, so a resource created through a provider in another account does not make that account own. " +
            "The deploying account is declared by aws:allowedAccountIds, which the AWS provider enforces itself: it refuses credentials of any account the list does not name " +
            "(terraform-provider-aws internal/conns/config.go, ConfigureProvider: VerifyAccountIDAllowed; the provider's docs, \"allowed_account_ids\"). A stack that declares none is one violation, not one per resource.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const set = environmentIdentity(args.getConfig<IdentityConfig>(), nowOf(args));
        for (const e of set.exceptions.filter((x) => x.problem)) {
            report(`exception ${JSON.stringify(e.account)} ${e.problem}: it excepts nothing. Fix: give the account or organization id, a reason and an ISO expiry within 180 days, or remove it.`);
        }
        const g = planGraph(args.resources);
        if (!g.nodes.some(judgedForIdentity)) return;
        const undeclared = undeclaredDeployingAccount(set);
        type Finding = { urn: string; text: string; account: string };
        const findings: Finding[] = [];
        for (const n of g.nodes) {
            if (!judgedForIdentity(n)) continue;
            const seen = new Set<string>();
            // A remote component (eks, awsx) is judged by what the program gave it: its outputs are its children's,
            // which the engine shows the pack as resources of their own (offline they are the fake cloud's stand-in).
            const remote = n.type.startsWith("eks:") || n.type.startsWith("awsx:");
            const props = remote && n.record ? ((n.record.inputs ?? {}) as Record<string, unknown>) : n.props;
            for (const ref of accountRefs(props)) {
                if (ref.account !== "*" && declares(set, ref.account).own) continue;
                // Without the deploying account, only a wildcard account can be judged: any other may be the stack's own.
                if (undeclared && ref.account !== "*") continue;
                // An endpoint service's principals are the catalog's derivation (consumer shards without an account of
                // their own admitted by the root of the account that deploys them): endpoint-service-principals-match-catalog judges them.
                if (ref.account !== "*" && ENDPOINT_SERVICE_PRINCIPALS.some(([t, p]) => n.type === t && ref.path.startsWith(p))) continue;
                const key = `${ref.account}|${ref.path}`;
                if (seen.has(key)) continue;
                seen.add(key);
                const what =
                    ref.account === "*"
                        ? `names any account (${JSON.stringify(ref.value)}, a wildcard account)`
                        : ref.account.startsWith("o-")
                          ? `admits every account of organization ${ref.account}`
                          : `names account ${ref.account} (${JSON.stringify(ref.value)})`;
                findings.push({ urn: n.urn, account: ref.account, text: `${n.type} "${n.name}" ${ref.path || "(resource)"}: the ${ref.how} ${what}` });
            }
        }
        // One violation for the stack, not one per resource: nothing else can be decided until it is declared.
        if (undeclared) report(undeclared);
        for (const f of findings) {
            report(
                `${f.text}, which the environment does not declare (declared: ${describeSet(set)}). ` +
                    `Fix: name an account of the environment; a partner belongs in the catalog (allowedPrincipals, subscribers) or in this policy's exceptions with a reason and an expiry.`,
                f.urn,
            );
        }
    },
});
