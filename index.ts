import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CatalogValidationError, validateCatalog } from "./components/catalog";
import { Platform } from "./components/platform";
import { frontDoorEdges } from "./components/frontDoor";
import { isOfflinePreview, preflight, resolveFirstDeployments } from "./components/preflight";

// The catalog is validated in full before any resource is declared: an
// invalid catalog creates nothing and lists every problem at once.
const config = new pulumi.Config();
const catalog = validateCatalog({
    platform: readObject(config, "platform"),
    services: readObject(config, "services"),
}, { stack: pulumi.getStack() });

// Before any resource: `pulumi up` refuses to start while a value is still
// { needsInput: ... } or the deploying role is listed for an access entry
// EKS already gave it (components/preflight.ts); `pulumi preview` warns.
const ready = preflight(catalog, {
    dryRun: pulumi.runtime.isDryRun(),
    offline: isOfflinePreview(),
    stack: pulumi.getStack(),
    callerArn: () => aws.getCallerIdentity({}).then(id => id.arn),
    warn: message => pulumi.log.warn(message),
});
// A service whose repository does not exist yet (the first `up` in an
// account) is planned as `image: pending`; a tag missing from an existing
// repository is refused before anything is declared.
const released = ready.then(() => resolveFirstDeployments(
    catalog,
    pulumi.getStack(),
    (repositoryName, imageTag) => aws.ecr.getImage({ repositoryName, imageTag }),
    message => pulumi.log.warn(message),
));
const platform = released.then(resolved => new Platform("platform", { catalog: resolved, stack: pulumi.getStack() }));

/**
 * Every declared `consumes` edge, as `consumer->provider`. The policy pack's
 * declared-edges-only rule checks the stack's interface endpoints against it.
 */
export const declaredEdges = [
    ...catalog.services.flatMap(s => s.consumes.map(p => `${s.name}->${p}`)),
    // The API front door's edge VPC consumes every exposed service (components/frontDoor.ts).
    ...frontDoorEdges(catalog.services),
].sort();

/**
 * Per service, the principals its endpoint service admits as the catalog
 * derives them. The policy pack's endpoint-service-principals-match-catalog
 * rule reads the catalog itself; this output shows the same set.
 */
export const declaredPrincipals = pulumi.output(platform.then(p => p.declaredPrincipals));

/** Per service: VPC id, endpoint service name (what consumers in other accounts connect to), NLB DNS name, ECR repository URL, zone ids of its NLB (where their endpoints can be). */
export const services = pulumi.output(platform.then(p => p.services));

/**
 * The API front door, when the catalog exposes services: the stage's invoke
 * URL (`https://<api id>.execute-api.<region>.amazonaws.com/<stage>`), the
 * routes (`GET /search -> search (lambda)`), and the custom domain's target
 * for a DNS alias, when one is configured.
 */
export const frontDoor = pulumi.output(platform.then(p => p.frontDoor
    ? { invokeUrl: p.frontDoor.invokeUrl, routes: p.frontDoor.routes, domainTarget: p.frontDoor.api.domainTarget }
    : undefined));

/**
 * Values the stack file still leaves as { needsInput: ... }, with how to find
 * each and the command that sets it; empty once every one is set. The
 * offline plan shows them in their own section.
 */
export const needsInput = catalog.needsInput;

function readObject(cfg: pulumi.Config, key: string): unknown {
    try {
        return cfg.getObject<unknown>(key);
    } catch {
        throw new CatalogValidationError([
            { path: key, message: `is not valid structured configuration; write it as a YAML list or map under ${cfg.name}:${key}` },
        ]);
    }
}
