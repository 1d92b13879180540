/**
 * The identity set applied to a plan: which resources are judged, and what
 * a stack that declares no deploying account is told.
 *
 * "Own" is the declared set (lib/identity.ts) and nothing else: the account
 * AWS writes into the ARNs of what a provider creates is never read as a
 * declaration, so a resource created through a provider in another account
 * cannot make that account own.
 */
import { declares, DEPLOYING_ACCOUNT_KEY, IdentitySet } from "./identity";
import { PlanNode } from "./plan/graph";

/** Resources whose properties reach AWS: the AWS provider's resources, its provider configurations, and remote components offline shows as one resource. */
export function judgedForIdentity(n: PlanNode): boolean {
    if (n.record?.op === "read") return false; // a read creates nothing and grants nothing
    return n.type.startsWith("aws:") || n.type.startsWith("pulumi:providers:aws") || n.type.startsWith("awsx:") || n.type.startsWith("eks:");
}

/** The environment's accounts as a rule applies them: an account of the declared set or of a valid declared exception. */
export function ownAccounts(set: IdentitySet): { own: (account: string) => boolean } {
    return { own: (a) => declares(set, a).own };
}

/** The command that declares the deploying account. */
export const SET_DEPLOYING_ACCOUNT = `pulumi config set --path '${DEPLOYING_ACCOUNT_KEY}[0]' <id>`;

/**
 * The one finding of a stack that declares no deploying account (neither
 * `aws:allowedAccountIds` nor the identity rules' `accountIds`): without it
 * no account the plan names can be told own or foreign. Undefined when the
 * account is declared.
 */
export function undeclaredDeployingAccount(set: IdentitySet): string | undefined {
    if (set.deployingDeclared) return undefined;
    const pending = set.pending.includes(DEPLOYING_ACCOUNT_KEY);
    const fix = pending ? `pulumi config rm --path '${DEPLOYING_ACCOUNT_KEY}' && ${SET_DEPLOYING_ACCOUNT}` : SET_DEPLOYING_ACCOUNT;
    return (
        `the stack declares no deploying account: ${DEPLOYING_ACCOUNT_KEY} is ${pending ? "still { needsInput: ... }" : "not set"} (nor this policy's accountIds), ` +
        `so no account the plan names can be judged the environment's own or another's; the AWS provider also refuses credentials of any account the key does not list. ` +
        `Fix: ${fix}, with <id> the 12-digit account the stack deploys into (\`aws sts get-caller-identity --query Account\` with the credentials that run pulumi up).`
    );
}
