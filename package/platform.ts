import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { CatalogValidationError } from "../components/catalog";
import { platformProgram } from "../components/program";

export interface PlatformArgs {
    /**
     * The service catalog as YAML or JSON text: a map with `platform` (the
     * platform's settings) and `services` (one entry per microservice), the
     * same fields a stack file holds under `privatelink-platform:platform` and
     * `privatelink-platform:services` (docs/catalog.md). Read it from a file
     * in your program. Shards are not available here: an environment split
     * into shard stacks is deployed from the platform's own repository.
     */
    catalog: string;
    /** The environment's name, which prefixes every repository and physical name; default: the stack's name. */
    environment?: string;
}

/**
 * A whole service catalog on AWS, as the platform's own stacks deploy it: per
 * microservice an isolated VPC (no internet gateway, no NAT), its ECR
 * repository, its runtime (ECS Fargate, ECS on EC2, EKS or Lambda) behind an
 * internal NLB and a VPC endpoint service, interface endpoints for every
 * service it consumes, and the API front door when the catalog exposes
 * services. An invalid catalog creates nothing and names every problem.
 */
export class Platform extends pulumi.ComponentResource {
    /** Every declared edge, as `consumer->provider`. */
    public readonly declaredEdges: pulumi.Output<string[]>;
    /** Per service, its endpoint service's name (`com.amazonaws.vpce.<region>.vpce-svc-...`): what consumers in other accounts connect to. */
    public readonly endpointServiceNames: pulumi.Output<Record<string, string>>;
    /** Per service, its isolated VPC's id. */
    public readonly vpcIds: pulumi.Output<Record<string, string>>;
    /** Per service, the URL of its ECR repository: push the catalog's image tags there. */
    public readonly repositoryUrls: pulumi.Output<Record<string, string>>;
    /** Per edge `consumer->provider`, the consumer's interface endpoint id. */
    public readonly endpoints: pulumi.Output<Record<string, string>>;
    /** The front door's invoke URL, or an empty string when no service is exposed. */
    public readonly invokeUrl: pulumi.Output<string>;
    /** Values the catalog still leaves as `{ needsInput: ... }`, as `<path>: <how to find it>`; empty once every one is set. */
    public readonly needsInput: pulumi.Output<string[]>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:index:Platform", name, {}, opts);
        const catalog = parseCatalog(args.catalog);
        const program = platformProgram({
            platform: catalog.platform,
            services: catalog.services,
            environment: args.environment,
            region: new pulumi.Config("aws").get("region"),
        }, { stack: pulumi.getStack(), name, parent: this });
        const each = (pick: (s: { vpcId: string; endpointServiceName: string; repositoryUrl: string }) => string) =>
            program.services.apply(all => Object.fromEntries(Object.entries(all).map(([service, s]) => [service, pick(s)])));
        this.declaredEdges = pulumi.output(program.declaredEdges);
        this.endpointServiceNames = each(s => s.endpointServiceName);
        this.vpcIds = each(s => s.vpcId);
        this.repositoryUrls = each(s => s.repositoryUrl);
        this.endpoints = program.endpoints;
        this.invokeUrl = program.frontDoor.apply(f => f?.invokeUrl ?? "");
        this.needsInput = pulumi.output(program.needsInput.map(n => `${n.path}: ${n.what} (${n.howToFind})`));
        this.registerOutputs({
            declaredEdges: this.declaredEdges,
            endpointServiceNames: this.endpointServiceNames,
            vpcIds: this.vpcIds,
            repositoryUrls: this.repositoryUrls,
            endpoints: this.endpoints,
            invokeUrl: this.invokeUrl,
            needsInput: this.needsInput,
        });
    }
}

/** The catalog text as a map with `platform` and `services`; anything else is refused, naming the field. */
export function parseCatalog(text: string): { platform: unknown; services: unknown } {
    let parsed: unknown;
    try {
        parsed = YAML.parse(text);
    } catch (e) {
        throw new CatalogValidationError([{ path: "catalog", message: `is not valid YAML or JSON (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); give the catalog's text, e.g. fs.readFileSync("catalog.yaml", "utf8")` }]);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new CatalogValidationError([{ path: "catalog", message: "must be a map with `platform` and `services` (docs/catalog.md)" }]);
    }
    const map = parsed as Record<string, unknown>;
    const problems = Object.keys(map)
        .filter(k => k !== "platform" && k !== "services")
        .map(k => ({
            path: `catalog.${k}`,
            message: k === "shards" || k === "shard" || k === "environment"
                ? "is not available in the component package: an environment split into shard stacks is deployed from the platform's repository (docs/scale.md); set the environment with the `environment` input"
                : "is not a catalog field; the catalog holds `platform` and `services` (docs/catalog.md)",
        }));
    if (problems.length > 0) throw new CatalogValidationError(problems);
    return { platform: map.platform, services: map.services };
}
