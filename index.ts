import * as pulumi from "@pulumi/pulumi";
import { CatalogValidationError } from "./components/catalog";
import { parsedConfigValue } from "./components/catalog/environment";
import { platformProgram } from "./components/program";

// The stack file's catalog, through the platform's one program
// (components/program.ts): validated in full before any resource is
// declared, checked before `up`, images resolved, shards wired, then the
// Platform component.
const config = new pulumi.Config();
const program = platformProgram({
    platform: readObject(config, "platform"),
    services: readObject(config, "services"),
    // Shards (docs/scale.md): the environment's shards, and which one this stack is.
    shards: readObject(config, "shards"),
    shard: config.get("shard"),
    environment: config.get("environment"),
    region: new pulumi.Config("aws").get("region"),
    // The AWS provider reads this key itself (the engine hands it the stack's aws: keys); the program only
    // checks it, so that a { needsInput } marker or a malformed value never reaches a real run (components/preflight.ts).
    allowedAccountIds: parsedConfigValue(new pulumi.Config("aws").get("allowedAccountIds")),
}, { stack: pulumi.getStack() });

/**
 * Every edge this stack declares, as `consumer->provider`: its services'
 * `consumes` and the API front door's (components/catalog declaredEdges).
 * The policy pack's declared-edges-only rule checks the stack's interface
 * endpoints against it.
 */
export const declaredEdges = program.declaredEdges;

/**
 * Per service, the principals its endpoint service admits as the catalog
 * derives them. The policy pack's endpoint-service-principals-match-catalog
 * rule reads the catalog itself; this output shows the same set.
 */
export const declaredPrincipals = program.declaredPrincipals;

/**
 * Per service with subscribers (docs/saas.md): each subscriber, what the
 * subscription handler does with its requests at the plan's date, and the
 * rule for anyone else.
 */
export const subscriptions = program.subscriptions;

/** Per service: VPC id, endpoint service name and id (what consumers in other accounts and shards connect to), NLB DNS name, ECR repository URL, zone ids of its NLB (where their endpoints can be), its account, and its private DNS name with AWS's verification state (docs/saas.md). */
export const services = program.services;

/**
 * The API front door, when the catalog exposes services: the stage's invoke
 * URL (`https://<api id>.execute-api.<region>.amazonaws.com/<stage>`), the
 * routes (`GET /search -> search (lambda)`), and the custom domain's target
 * for a DNS alias, when one is configured.
 */
export const frontDoor = program.frontDoor;

/**
 * Per edge `consumer->provider` this stack consumes, its interface endpoint
 * id: a provider in another shard accepts exactly these (components/shardWiring.ts).
 */
export const endpoints = program.endpoints;

/**
 * Values the stack file still leaves as { needsInput: ... }, with how to find
 * each and the command that sets it; empty once every one is set. The
 * offline plan shows them in their own section.
 */
export const needsInput = program.needsInput;

function readObject(cfg: pulumi.Config, key: string): unknown {
    try {
        return cfg.getObject<unknown>(key);
    } catch {
        throw new CatalogValidationError([
            { path: key, message: `is not valid structured configuration; write it as a YAML list or map under ${cfg.name}:${key}` },
        ]);
    }
}
