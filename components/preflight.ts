/**
 * Checks the program makes before it declares any resource, for what only a
 * real `pulumi up` can get wrong:
 *
 * - values the stack file still leaves as { needsInput: ... } (see
 *   components/catalog/needsInput.ts): `pulumi up` refuses to start and lists
 *   them; `pulumi preview` warns and plans without them, except while the
 *   deploying account (`aws:allowedAccountIds`, which the AWS provider reads
 *   itself) is one: then it refuses too (readByProvider); the offline plan
 *   (which sets OFFLINE_PREVIEW_ENV) lists them in its own section and plans
 *   on in both modes, the account as the one it simulates;
 * - the role that runs `pulumi up` listed in platform.eks.adminRoleArns or
 *   viewRoleArns: EKS already made it cluster admin through an access entry
 *   (the cluster creator, see below), and refuses a second entry for the same
 *   principal with ResourceInUseException. The policy pack cannot know who
 *   deploys, so this is checked here, against the caller identity.
 *
 * The pure functions are exported and tested (test/catalog/preflight.test.ts).
 */
import { RunError } from "@pulumi/pulumi/errors";
import type { Catalog, EksPlatformSpec, NeedsInput, ServiceSpec } from "./catalog";
import { formatNeedsInput, PENDING_IMAGE } from "./catalog";
import { repositoryNameOf, unpushedImageMessage } from "./serviceRegistry";
import { readsPlatformField } from "./runtimes";

/**
 * Set to "1" by the offline preview (tools/preview) while it runs the
 * program: an offline `--mode up` runs with dryRun false, like `pulumi up`,
 * but must keep planning with needs-input values absent.
 */
export const OFFLINE_PREVIEW_ENV = "PRIVATELINK_OFFLINE_PREVIEW";

export function isOfflinePreview(env: NodeJS.ProcessEnv = process.env): boolean {
    return env[OFFLINE_PREVIEW_ENV] === "1";
}

/** What the program does about needs-input values in each kind of run. */
export type NeedsInputAction = "none" | "refuse" | "warn" | "list";

export function needsInputAction(needsInput: readonly NeedsInput[], run: { dryRun: boolean; offline: boolean }): NeedsInputAction {
    if (needsInput.length === 0) {
        return "none";
    }
    if (run.offline) {
        return "list"; // the offline plan shows them in its own section
    }
    // A key the AWS provider reads itself reaches it in a preview too: refused before any resource or invoke.
    return run.dryRun && !needsInput.some(readByProvider) ? "warn" : "refuse";
}

/**
 * A needs-input value in the AWS provider's own namespace (`aws:allowedAccountIds`).
 * The engine hands every `aws:` key of the stack to the default provider
 * (pulumi/pulumi pkg/resource/deploy/target.go, GetPackageConfig), as text the
 * bridge decodes as JSON (pulumi-terraform-bridge pkg/tfbridge/config_encoding.go,
 * convertStringToPropertyValue): a marker would reach the provider as an
 * object where its schema wants a list of account ids (@pulumi/aws 7.48.0
 * config/vars.d.ts, `allowedAccountIds: string[]`). The program therefore
 * declares nothing, in a preview as in an update, until it is set.
 */
export function readByProvider(n: Pick<NeedsInput, "path">): boolean {
    return n.path.startsWith("aws:");
}

/** Thrown by `pulumi up` while a needs-input value is unset; a RunError, so the CLI prints it without a stack trace. */
export class NeedsInputError extends RunError {
    constructor(public readonly needsInput: readonly NeedsInput[], stack?: string) {
        super(needsInputMessage(needsInput, stack, "refuse"));
        this.name = "NeedsInputError";
    }
}

export function needsInputMessage(needsInput: readonly NeedsInput[], stack: string | undefined, action: "refuse" | "warn"): string {
    const n = needsInput.length;
    const values = `${n} ${n === 1 ? "value" : "values"}`;
    const provider = needsInput.filter(readByProvider).map(x => x.path);
    const head =
        action === "refuse"
            ? `stack${stack ? ` '${stack}'` : ""} still needs ${values} only you can know; nothing was created. Set ${n === 1 ? "it" : "each"}, then run pulumi up again` +
              (provider.length > 0 ? ` (the AWS provider reads ${provider.join(", ")} itself, so pulumi preview refuses too until it is set)` : "") + ":"
            : `stack${stack ? ` '${stack}'` : ""} still needs ${values} only you can know; this preview plans without ${n === 1 ? "it" : "them"}, and pulumi up will refuse to start until ${n === 1 ? "it is" : "they are"} set:`;
    return `${head}\n${formatNeedsInput(needsInput)}\n(see docs/deployability.md#values-only-you-can-know-prerequisites-and-eks-access)`;
}

/** The parts of a caller's ARN that identify it as an access-entry principal. */
export interface CallerPrincipal {
    account: string;
    kind: "role" | "user" | "root";
    /** Role or user name, without path. */
    name: string;
}

/**
 * The IAM principal behind `sts:GetCallerIdentity`'s ARN:
 * `arn:aws:sts::<acct>:assumed-role/<RoleName>/<session>` (a role session; the
 * ARN carries no role path), `arn:aws:iam::<acct>:user/<path/><name>`, or
 * `arn:aws:iam::<acct>:root`. Undefined for anything else (federated users).
 */
export function callerPrincipal(arn: string): CallerPrincipal | undefined {
    const assumed = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
    if (assumed) {
        return { account: assumed[1], kind: "role", name: assumed[2] };
    }
    const iam = /^arn:[^:]+:iam::(\d{12}):(root|role\/(?:.*\/)?([^/]+)|user\/(?:.*\/)?([^/]+))$/.exec(arn);
    if (!iam) {
        return undefined;
    }
    if (iam[2] === "root") {
        return { account: iam[1], kind: "root", name: "root" };
    }
    return iam[3] !== undefined ? { account: iam[1], kind: "role", name: iam[3] } : { account: iam[1], kind: "user", name: iam[4] };
}

/**
 * The entries of adminRoleArns / viewRoleArns that name the caller: same
 * account, same kind, same name (a role ARN in the list may carry a path the
 * assumed-role ARN does not show; role names are unique in an account
 * whatever their path, per the IAM User Guide's "IAM identifiers").
 */
export function creatorListed(callerArn: string, eks: Pick<EksPlatformSpec, "adminRoleArns" | "viewRoleArns">): { path: string; arn: string }[] {
    const caller = callerPrincipal(callerArn);
    if (!caller || caller.kind === "root") {
        return [];
    }
    const hits: { path: string; arn: string }[] = [];
    const lists = { adminRoleArns: eks.adminRoleArns, viewRoleArns: eks.viewRoleArns };
    for (const [list, arns] of Object.entries(lists)) {
        arns.forEach((arn, i) => {
            const p = callerPrincipal(arn);
            if (p && p.account === caller.account && p.kind === caller.kind && p.name === caller.name) {
                hits.push({ path: `platform.eks.${list}[${i}]`, arn });
            }
        });
    }
    return hits;
}

/** Thrown by `pulumi up` when the deploying role is listed for an access entry EKS already gave it. */
export class CreatorListedError extends RunError {
    constructor(callerArn: string, hits: { path: string; arn: string }[]) {
        super(
            `pulumi up runs as ${callerArn}, and EKS makes the principal that creates a cluster its admin through an ` +
                `access entry (bootstrapClusterCreatorAdminPermissions, which @pulumi/eks sets); a second access entry ` +
                `for it fails with ResourceInUseException. Nothing was created. Remove it from the list:\n` +
                hits.map(h => `  ${h.path}: ${h.arn}`).join("\n") +
                `\n(see docs/runtime-eks.md, "Cluster access")`,
        );
        this.name = "CreatorListedError";
    }
}

/** Everything the program needs to know about the run, and what it reports. */
export interface PreflightContext {
    dryRun: boolean;
    offline: boolean;
    stack: string;
    /** The caller's ARN (sts:GetCallerIdentity), asked only by a real or offline `up` with eks services. */
    callerArn?: () => Promise<string>;
    warn: (message: string) => void;
}

/**
 * Runs every preflight check: resolves when the program may declare its
 * resources, rejects with a RunError (NeedsInputError, CreatorListedError)
 * when `up` must not start.
 */
export async function preflight(catalog: Catalog, ctx: PreflightContext): Promise<void> {
    const action = needsInputAction(catalog.needsInput, ctx);
    if (action === "refuse") {
        throw new NeedsInputError(catalog.needsInput, ctx.stack);
    }
    if (action === "warn") {
        ctx.warn(needsInputMessage(catalog.needsInput, ctx.stack, "warn"));
    }
    const unreachable = unreachableClusters(catalog);
    if (unreachable.length > 0 && !ctx.offline) {
        if (!ctx.dryRun) {
            throw new UnreachableClusterError(unreachable);
        }
        ctx.warn(unreachableClusterMessage(unreachable));
    }
    const eks = catalog.platform.eks;
    const listsRoles = eks.adminRoleArns.length + eks.viewRoleArns.length > 0;
    if (!ctx.dryRun && ctx.callerArn && listsRoles && catalog.services.some(s => readsPlatformField(s.runtime, "eks"))) {
        const caller = await ctx.callerArn();
        const hits = creatorListed(caller, eks);
        if (hits.length > 0) {
            throw new CreatorListedError(caller, hits);
        }
    }
}

/** An image tag the program must find in the service's repository before it runs anything with it. */
function taggedImage(spec: ServiceSpec): string | undefined {
    return typeof spec.image === "string" && spec.image !== PENDING_IMAGE ? spec.image : undefined;
}

/**
 * The two ECR reads the first-deployment check makes, in the stack's account.
 *
 * The provider's `aws.ecr.getImage` fails with the same text,
 * `reading ECR Images: couldn't find resource`, whether the repository or
 * the tag is missing (terraform-provider-aws `internal/service/ecr/image_data_source.go`,
 * `findImageDetails`, wraps both RepositoryNotFoundException and
 * ImageNotFoundException in terraform-plugin-sdk's `retry.NotFoundError`),
 * so the two cases are told apart without reading error text: one listing of
 * the account's repositories (`aws.ecr.getRepositories`, DescribeRepositories
 * over the caller's registry, which does not fail for a missing repository:
 * `internal/service/ecr/repositories_data_source.go`), then `getImage` only
 * for repositories that exist.
 */
export interface ImageLookups {
    /** The names of the account's ECR repositories in the stack's Region. */
    repositories(): Promise<readonly string[]>;
    /** Resolves when `tag` is in the (existing) repository; any failure means it is not. */
    image(repositoryName: string, tag: string): Promise<unknown>;
}

/** A tag the catalog names that is not in its (existing) repository: refused before anything is declared. */
export class UnpushedImageError extends RunError {
    constructor(readonly problems: string[]) {
        super(`${problems.length === 1 ? "an image tag is" : `${problems.length} image tags are`} not in their repositories; nothing was created:\n  ${problems.join("\n  ")}`);
        this.name = "UnpushedImageError";
    }
}

/**
 * The first deployment of a service whose repository does not exist yet.
 *
 * Every service's image lives in its own repository, which this stack
 * creates, so on the first `pulumi up` in an account no tag can have been
 * pushed. Such a service is planned exactly as `image: pending` (everything
 * but the running workload; see docs/deployability.md), with a warning that
 * says what to push; the next `up` after the push runs it. A repository that
 * exists but lacks the tag is a mistake, refused with every such service
 * listed before any resource is declared. Lookups run in preview and up alike
 * (ecr:DescribeRepositories through aws.ecr.getRepositories, then
 * ecr:DescribeImages and ecr:DescribeRepositories through aws.ecr.getImage).
 */
export async function resolveFirstDeployments(
    catalog: Catalog,
    stack: string,
    lookups: ImageLookups,
    warn: (message: string) => void,
): Promise<Catalog> {
    const tagged = catalog.services.filter(spec => taggedImage(spec) !== undefined);
    // One listing per account, and only when some service names a tag.
    const existing = tagged.length > 0 ? new Set(await lookups.repositories()) : new Set<string>();
    const outcomes = await Promise.all(catalog.services.map(async spec => {
        const tag = taggedImage(spec);
        if (tag === undefined) return { spec, state: "as-is" as const };
        const repositoryName = repositoryNameOf(stack, spec.name);
        if (!existing.has(repositoryName)) return { spec, state: "first" as const, tag, repositoryName };
        try {
            await lookups.image(repositoryName, tag);
            return { spec, state: "pushed" as const };
        } catch (err) {
            return { spec, state: "missing" as const, message: unpushedImageMessage(spec.name, repositoryName, tag, err) };
        }
    }));
    const missing = outcomes.flatMap(o => (o.state === "missing" ? [o.message] : []));
    if (missing.length > 0) {
        throw new UnpushedImageError(missing);
    }
    const first = outcomes.flatMap(o => (o.state === "first" ? [o] : []));
    if (first.length === 0) {
        return catalog;
    }
    warn(
        `first deployment of ${first.length} service${first.length === 1 ? "" : "s"}: ` +
        `their repositories do not exist yet, so this run creates everything but their workloads (as image: ${PENDING_IMAGE}). ` +
        "Then push each image and run `pulumi up` again:\n  " +
        first.map(f => `${f.spec.name}: docker push <account>.dkr.ecr.<region>.amazonaws.com/${f.repositoryName}:${f.tag}`).join("\n  "),
    );
    const pending = new Set(first.map(f => f.spec.name));
    return {
        ...catalog,
        services: catalog.services.map(s => (pending.has(s.name) ? { ...s, image: PENDING_IMAGE } : s)),
    };
}

/**
 * EKS services whose cluster API `pulumi up` could not reach. Pulumi applies
 * each eks service's Kubernetes objects through the cluster's API endpoint;
 * with no platform.eks.publicAccessCidrs the endpoint is private only, and a
 * service VPC has no route in from where Pulumi runs (no gateway, no VPN,
 * no peering: the platform's isolation). The Kubernetes provider would then
 * wait until it times out, after the cluster was created.
 */
export function unreachableClusters(catalog: Catalog): string[] {
    // Still { needsInput }: the needs-input list already asks for it.
    const asked = catalog.needsInput.some(n => n.path === "platform.eks.publicAccessCidrs");
    if (asked || catalog.platform.eks.publicAccessCidrs.length > 0) return [];
    return catalog.services.filter(s => readsPlatformField(s.runtime, "eks")).map(s => s.name);
}

function unreachableClusterMessage(services: string[]): string {
    return `the EKS cluster API of ${services.map(s => `"${s}"`).join(", ")} would be private only ` +
        "(platform.eks.publicAccessCidrs is empty), and no machine outside the service VPC can reach it, so `pulumi up` " +
        "could not apply the Kubernetes objects and would time out. Fix: set platform.eks.publicAccessCidrs to the egress " +
        "CIDRs of the machines that run `pulumi up` (see docs/deployability.md#values-only-you-can-know-prerequisites-and-eks-access)";
}

/** `pulumi up` refuses to create clusters it could not then reach. */
export class UnreachableClusterError extends RunError {
    constructor(readonly services: string[]) {
        super(`${unreachableClusterMessage(services)}; nothing was created`);
        this.name = "UnreachableClusterError";
    }
}
