/**
 * The promises the pack keeps by meaning, for the threat model in
 * docs/policies.md: each with the rules that keep it, what they read, and
 * what is still out of reach. The lists of keys and properties come from the
 * tables the rules use, so the document cannot drift from them.
 */
import { DESTINATIONS } from "../facts/destinations";
import { ACCOUNT_CONDITION_KEYS } from "./identity-walk";

export interface PackPromise {
    promise: string;
    rules: string[];
    reads: string;
    outOfReach: string;
}

function keys(): string {
    return ACCOUNT_CONDITION_KEYS.map((k) => `\`${k}\``).join(", ");
}

export function promises(): PackPromise[] {
    const types = new Set(DESTINATIONS.map((d) => d.type));
    return [
        {
            promise:
                "No account outside the environment is named anywhere: granted, trusted, admitted by a condition, deployed into or written to. The environment's accounts come from configuration only (`policies/lib/identity.ts`): `aws:allowedAccountIds` or the rule's `accountIds`, shard accounts, `allowedPrincipals`, declared subscribers, `platform.consumerPrincipal`, the EKS admin and view roles, the front door's Cognito pool, notification subscribers, and AWS-owned accounts AWS documents (`policies/facts/aws-accounts.ts`); anything else needs an exception with a reason and an expiry.",
            rules: ["identity-accounts-declared", "resource-policy-no-foreign-account"],
            reads:
                "every property of every AWS resource and AWS provider (JSON documents inside strings included, at any depth): ARNs in any property, account ids under account properties, policy principals, " +
                `and the condition keys ${keys()} (in an Allow statement under positive operators, in a Deny statement under negated ones); a wildcard account is any account, an organization id is every account of it.`,
            outOfReach:
                "a stack that declares no account is judged against the account AWS assigned to what its default provider created (known after `up`; declare `aws:allowedAccountIds` to decide in preview). Values that name an account by other means (an AMI id, an access key id, a bucket name) are not accounts here.",
        },
        {
            promise: "Data goes only to the environment: every property that sends data, pulls code or trust, or encrypts under a key points at a resource of the plan, an account of the environment, or a declared external destination with a reason and an expiry.",
            rules: ["destinations-in-environment"],
            reads: `${DESTINATIONS.length} properties of ${types.size} types (\`policies/facts/destinations.ts\`, with sources; a test fails when an allowed type has a destination-like property the table neither lists nor excuses).`,
            outOfReach:
                "an AMI's owner; a destination a running workload chooses itself (an SDK call to another account's bucket is IAM's and the endpoint policy's to stop); options of log drivers other than awslogs (`awsfirelens` outputs).",
        },
    ];
}
