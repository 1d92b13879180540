import { accountOf } from "../../lib/arn";
import { isDocumentationAccount } from "../../facts/documentation-values";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { asArray, asStrings, get, show } from "../../lib/values";

function checkPrincipal(p: unknown, where: string, accounts: string[], report: (m: string) => void): void {
    if (typeof p !== "string" || p.trim() === "") {
        report(`${where} has principal ${show(p)}, which is not an IAM principal ARN. Fix: use arn:aws:iam::<account>:root or a role ARN.`);
        return;
    }
    if (p.includes("*")) {
        report(`${where} allows principal ${show(p)}: a wildcard makes the endpoint service connectable by anyone. Fix: list the consumer accounts' or roles' ARNs.`);
        return;
    }
    const account = accountOf(p);
    if (account === undefined) {
        report(`${where} has principal ${show(p)}, which is not an IAM principal ARN. Fix: use arn:aws:iam::<account>:root or a role ARN.`);
        return;
    }
    if (isDocumentationAccount(account)) {
        report(`${where} allows principal ${show(p)}: account ${account} is an AWS documentation example id, not a consumer you know. Fix: use the consumer's real account or role ARN (leave the catalog's allowedPrincipals as { needsInput: ... } until you know it).`);
        return;
    }
    if (accounts.length > 0 && !accounts.includes(account)) {
        report(`${where} allows principal ${show(p)} from account ${account}, which is not in allowedAccounts ${show(accounts)}. Fix: remove it, or add the account to this policy's allowedAccounts.`);
    }
}

const schema = {
    properties: {
        allowedAccounts: {
            type: "array" as const,
            items: { type: "string" as const, pattern: "^\\d{12}$" },
            default: [],
            description: "Accounts whose principals may be allowed on endpoint services; empty means any account (wildcards never).",
        },
    },
};

export const endpointServicePrincipalsRestricted = resourceRule({
    name: "endpoint-service-principals-restricted",
    description: "Endpoint-service allowed principals are explicit ARNs (never *, never an AWS documentation account) within the configured account allow-list.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Replace * with the consumer account root or role ARNs; keep them within allowedAccounts.",
    configSchema: schema,
    meta: {
        area: "privatelink",
        rationale:
            "`*` with acceptance off makes a PrivateLink service effectively public; principals are the provider's first gate. " +
            "An AWS documentation example account (123456789012, 111122223333, ...; policies/facts/documentation-values.ts) is a placeholder, never the consumer.",
        equivalents: {},
    },
    validateResource: [
        ofType("aws:ec2/vpcEndpointService:VpcEndpointService", (props, args, report) => {
            const accounts = asStrings(args.getConfig<{ allowedAccounts?: unknown }>().allowedAccounts);
            asArray(get(props, "allowedPrincipals")).forEach((p, i) =>
                checkPrincipal(p, `${subject(args)} allowedPrincipals[${i}]`, accounts, report),
            );
        }),
        ofType("aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple", (props, args, report) => {
            const accounts = asStrings(args.getConfig<{ allowedAccounts?: unknown }>().allowedAccounts);
            checkPrincipal(get(props, "principalArn"), `${subject(args)} principalArn`, accounts, report);
        }),
    ],
});
