import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { declaredEdges as catalogEdges, edgeName, environmentOf, localServices, NeedsInput, selectedShard, shardNeedsInput, subscriptionsView, validateCatalog } from "./catalog";
import { planDate } from "../policies/lib/subscriptions";
import { Platform, ServiceOutputs } from "./platform";
import { isOfflinePreview, preflight, resolveFirstDeployments } from "./preflight";
import { shardProvider, wireShard } from "./shardWiring";

/**
 * The platform as one function: what `index.ts` runs for a stack file, and
 * what the component package's `Platform` runs for a catalog another
 * program hands it (package/platform.ts). Everything between the raw
 * catalog and the stack's outputs happens here, in this order:
 *
 * 1. the catalog is validated in full before any resource is declared: an
 *    invalid catalog creates nothing and lists every problem at once;
 * 2. before any resource, `pulumi up` refuses to start while a value is still
 *    `{ needsInput: ... }` or the deploying role is listed for an access
 *    entry EKS already gave it (components/preflight.ts); `pulumi preview`
 *    warns, but refuses too while the deploying account
 *    (`aws:allowedAccountIds`, which the AWS provider reads itself) is one;
 * 3. a service whose repository does not exist yet (the first `up` in an
 *    account) is planned as `image: pending`; a tag missing from an existing
 *    repository is refused. Which repositories exist is read once
 *    (getRepositories), never guessed from getImage's error;
 * 4. a shard stack reads the other shards' endpoint services, principals and
 *    endpoints from their stacks (components/shardWiring.ts);
 * 5. the Platform component declares every resource.
 */

/** The catalog as configuration holds it: each value unparsed, validated here. */
export interface CatalogInput {
    platform?: unknown;
    services?: unknown;
    shards?: unknown;
    shard?: string;
    environment?: string;
    region?: string;
    /** `aws:allowedAccountIds`: the account the stack deploys into, or { needsInput }. */
    allowedAccountIds?: unknown;
}

export interface ProgramOptions {
    /** The stack's name: tags, the front door's names, and the environment when the catalog names none. */
    stack: string;
    /** The Platform component's name ("platform" in the program: its URN never moves). */
    name?: string;
    /** The component the Platform and the invokes are parented to (the component package's `Platform`); none in the program. */
    parent?: pulumi.Resource;
}

/** What a stack of the platform exports (index.ts documents each). */
export interface ProgramOutputs {
    declaredEdges: string[];
    declaredPrincipals: pulumi.Output<Record<string, string[]>>;
    subscriptions: ReturnType<typeof subscriptionsView>;
    services: pulumi.Output<Record<string, pulumi.Unwrap<ServiceOutputs>>>;
    frontDoor: pulumi.Output<{ invokeUrl: string; routes: string[]; domainTarget: string | undefined } | null>;
    endpoints: pulumi.Output<Record<string, string>>;
    needsInput: NeedsInput[];
}

export function platformProgram(input: CatalogInput, opts: ProgramOptions): ProgramOutputs {
    const { stack, parent } = opts;
    const catalog = validateCatalog(input, { stack });
    const environment = environmentOf(catalog);
    // A shard stack (docs/scale.md) declares only its shard's services and checks
    // only the values they need; the environment stack declares every service.
    const local = { ...catalog, services: localServices(catalog), needsInput: shardNeedsInput(catalog) };
    // A shard in another account is deployed through a provider that assumes the
    // catalog's role there; everything of the shard, invokes included, uses it.
    let shardAwsProvider: aws.Provider | undefined | null = null;
    const awsProvider = (): aws.Provider | undefined => {
        if (shardAwsProvider === null) {
            const shard = selectedShard(catalog);
            shardAwsProvider = shard ? shardProvider(shard, catalog.region, stack) : undefined;
        }
        return shardAwsProvider;
    };
    const invokeOpts = (): pulumi.InvokeOptions => ({ ...(parent ? { parent } : {}), ...(awsProvider() ? { provider: awsProvider() } : {}) });

    const ready = preflight(local, {
        dryRun: pulumi.runtime.isDryRun(),
        offline: isOfflinePreview(),
        stack,
        callerArn: () => aws.getCallerIdentity({}, invokeOpts()).then(id => id.arn),
        warn: message => pulumi.log.warn(message, parent),
    });
    const released = ready.then(() => resolveFirstDeployments(
        local,
        environment,
        {
            repositories: () => aws.ecr.getRepositories({}, invokeOpts()).then(r => r.names),
            image: (repositoryName, imageTag) => aws.ecr.getImage({ repositoryName, imageTag }, invokeOpts()),
        },
        message => pulumi.log.warn(message, parent),
    ));
    const wiring = ready.then(() => wireShard(catalog, stack, {
        organization: pulumi.getOrganization(),
        project: pulumi.getProject(),
        warn: message => pulumi.log.warn(message, parent),
        defaultAccountId: () => aws.getCallerIdentityOutput({}, parent ? { parent } : undefined).accountId,
        provider: awsProvider(),
    }));
    const platform = Promise.all([released, wiring]).then(([resolved, shard]) => new Platform(opts.name ?? "platform", {
        catalog: { ...catalog, services: catalog.services.map(s => resolved.services.find(r => r.name === s.name) ?? s) },
        stack,
        environment,
        ...(shard ? { shard } : {}),
    }, { ...(parent ? { parent } : {}), ...(shard?.provider ? { providers: [shard.provider] } : {}) }));

    return {
        declaredEdges: catalogEdges(local.services, catalog.platform).map(edgeName),
        declaredPrincipals: pulumi.output(platform.then(p => p.declaredPrincipals)),
        subscriptions: subscriptionsView(local.services, planDate()),
        services: pulumi.output(platform.then(p => p.services)),
        frontDoor: pulumi.output(platform.then(p => p.frontDoor
            ? { invokeUrl: p.frontDoor.invokeUrl, routes: p.frontDoor.routes, domainTarget: p.frontDoor.api.domainTarget }
            : null)),
        endpoints: pulumi.output(platform.then(p => p.endpoints)),
        needsInput: local.needsInput,
    };
}
