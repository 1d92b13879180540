import * as pulumi from "@pulumi/pulumi";
import { CatalogValidationError, validateCatalog } from "./components/catalog";
import { Platform } from "./components/platform";

// The catalog is validated in full before any resource is declared: an
// invalid catalog creates nothing and lists every problem at once.
const config = new pulumi.Config();
const catalog = validateCatalog({
    platform: readObject(config, "platform"),
    services: readObject(config, "services"),
});

const platform = new Platform("platform", { catalog, stack: pulumi.getStack() });

/**
 * Every declared `consumes` edge, as `consumer->provider`. The policy pack's
 * declared-edges-only rule checks the stack's interface endpoints against it.
 */
export const declaredEdges = catalog.services.flatMap(s => s.consumes.map(p => `${s.name}->${p}`)).sort();

/** Per service: VPC id, endpoint service name (what consumers in other accounts connect to), NLB DNS name, ECR repository URL, zone ids of its NLB (where their endpoints can be). */
export const services = platform.services;

function readObject(cfg: pulumi.Config, key: string): unknown {
    try {
        return cfg.getObject<unknown>(key);
    } catch {
        throw new CatalogValidationError([
            { path: key, message: `is not valid structured configuration; write it as a YAML list or map under ${cfg.name}:${key}` },
        ]);
    }
}
