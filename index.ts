import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CatalogValidationError, declaredEdges as catalogEdges, edgeName, environmentOf, localServices, selectedShard, shardNeedsInput, subscriptionsView, validateCatalog } from "./components/catalog";
import { planDate } from "./policies/lib/subscriptions";
import { Platform } from "./components/platform";
import { isOfflinePreview, preflight, resolveFirstDeployments } from "./components/preflight";
import { shardProvider, wireShard } from "./components/shardWiring";

// The catalog is validated in full before any resource is declared: an
// invalid catalog creates nothing and lists every problem at once.
const config = new pulumi.Config();
const catalog = validateCatalog({
    platform: readObject(config, "platform"),
    services: readObject(config, "services"),
    // Shards (docs/scale.md): the environment's shards, and which one this stack is.
    shards: readObject(config, "shards"),
    shard: config.get("shard"),
    environment: config.get("environment"),
    region: new pulumi.Config("aws").get("region"),
}, { stack: pulumi.getStack() });

const stack = pulumi.getStack();
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
const invokeOpts = (): pulumi.InvokeOptions => (awsProvider() ? { provider: awsProvider() } : {});

// Before any resource: `pulumi up` refuses to start while a value is still
// { needsInput: ... } or the deploying role is listed for an access entry
// EKS already gave it (components/preflight.ts); `pulumi preview` warns.
const ready = preflight(local, {
    dryRun: pulumi.runtime.isDryRun(),
    offline: isOfflinePreview(),
    stack,
    callerArn: () => aws.getCallerIdentity({}, invokeOpts()).then(id => id.arn),
    warn: message => pulumi.log.warn(message),
});
// A service whose repository does not exist yet (the first `up` in an
// account) is planned as `image: pending`; a tag missing from an existing
// repository is refused before anything is declared. Which repositories
// exist is read once (getRepositories), never guessed from getImage's error.
const released = ready.then(() => resolveFirstDeployments(
    local,
    environment,
    {
        repositories: () => aws.ecr.getRepositories({}, invokeOpts()).then(r => r.names),
        image: (repositoryName, imageTag) => aws.ecr.getImage({ repositoryName, imageTag }, invokeOpts()),
    },
    message => pulumi.log.warn(message),
));
// The other shards' endpoint services, principals and endpoints, read from their stacks.
const wiring = ready.then(() => wireShard(catalog, stack, {
    organization: pulumi.getOrganization(),
    project: pulumi.getProject(),
    warn: message => pulumi.log.warn(message),
    defaultAccountId: () => aws.getCallerIdentityOutput({}).accountId,
    provider: awsProvider(),
}));
const platform = Promise.all([released, wiring]).then(([resolved, shard]) => new Platform("platform", {
    catalog: { ...catalog, services: catalog.services.map(s => resolved.services.find(r => r.name === s.name) ?? s) },
    stack,
    environment,
    ...(shard ? { shard } : {}),
}, shard?.provider ? { providers: [shard.provider] } : undefined));

/**
 * Every edge this stack declares, as `consumer->provider`: its services'
 * `consumes` and the API front door's (components/catalog declaredEdges).
 * The policy pack's declared-edges-only rule checks the stack's interface
 * endpoints against it.
 */
export const declaredEdges = catalogEdges(local.services, catalog.platform).map(edgeName);

/**
 * Per service, the principals its endpoint service admits as the catalog
 * derives them. The policy pack's endpoint-service-principals-match-catalog
 * rule reads the catalog itself; this output shows the same set.
 */
export const declaredPrincipals = pulumi.output(platform.then(p => p.declaredPrincipals));

/**
 * Per service with subscribers (docs/saas.md): each subscriber, what the
 * subscription handler does with its requests at the plan's date, and the
 * rule for anyone else.
 */
export const subscriptions = subscriptionsView(local.services, planDate());

/** Per service: VPC id, endpoint service name and id (what consumers in other accounts and shards connect to), NLB DNS name, ECR repository URL, zone ids of its NLB (where their endpoints can be), its account. */
export const services = pulumi.output(platform.then(p => p.services));

/**
 * The API front door, when the catalog exposes services: the stage's invoke
 * URL (`https://<api id>.execute-api.<region>.amazonaws.com/<stage>`), the
 * routes (`GET /search -> search (lambda)`), and the custom domain's target
 * for a DNS alias, when one is configured.
 */
export const frontDoor = pulumi.output(platform.then(p => p.frontDoor
    ? { invokeUrl: p.frontDoor.invokeUrl, routes: p.frontDoor.routes, domainTarget: p.frontDoor.api.domainTarget }
    : null));

/**
 * Per edge `consumer->provider` this stack consumes, its interface endpoint
 * id: a provider in another shard accepts exactly these (components/shardWiring.ts).
 */
export const endpoints = pulumi.output(platform.then(p => p.endpoints));

/**
 * Values the stack file still leaves as { needsInput: ... }, with how to find
 * each and the command that sets it; empty once every one is set. The
 * offline plan shows them in their own section.
 */
export const needsInput = local.needsInput;

function readObject(cfg: pulumi.Config, key: string): unknown {
    try {
        return cfg.getObject<unknown>(key);
    } catch {
        throw new CatalogValidationError([
            { path: key, message: `is not valid structured configuration; write it as a YAML list or map under ${cfg.name}:${key}` },
        ]);
    }
}
