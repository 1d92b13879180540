/**
 * The front door across updates: what the stage serves after the engine
 * applied an update from one plan to the next, in the engine's step order
 * (tools/preview/engine-steps.ts), and whether the deployment is renewed
 * whenever something it snapshots changes (API Gateway developer guide,
 * "Updates to REST APIs that require redeployment").
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DefinitionEntry, definitionDigest } from "../../components/frontDoorRoutes";
import { APIGW } from "../../policies/lib/apigateway";
import { FRONT_DOOR_COMPONENT } from "../../policies/lib/front-door";
import { PreviewResult, ResourceRecord, runPreview } from "../../tools/preview";
import { engineSteps } from "../../tools/preview/engine-steps";
import { stageAfterUpdate } from "../../tools/preview/front-door-path";
import { plan, PROJECT, ROOT } from "../helpers";
import { everyRuntimeCatalog } from "./every-runtime-catalog";

type Config = Record<string, unknown>;
type Service = { name: string; expose?: { routes: Record<string, unknown>[] } } & Record<string, unknown>;

/** The catalog with one service's entry edited. */
function withService(config: Config, name: string, edit: (s: Service) => Service): Config {
    const services = (structuredClone(config[`${PROJECT}:services`]) as Service[]).map(s => (s.name === name ? edit(s) : s));
    return { ...config, [`${PROJECT}:services`]: services };
}

function withFrontDoor(config: Config, edit: (fd: Record<string, unknown>) => Record<string, unknown>): Config {
    const platform = structuredClone(config[`${PROJECT}:platform`]) as { frontDoor: Record<string, unknown> };
    return { ...config, [`${PROJECT}:platform`]: { ...platform, frontDoor: edit(platform.frontDoor) } };
}

async function planned(config: Config): Promise<PreviewResult> {
    const r = await plan(config, "up", "dev");
    assert.deepStrictEqual(r.errors ?? [], []);
    return r;
}

const DEFINITION_TYPES = new Set<string>([APIGW.resource, APIGW.method, APIGW.integration, APIGW.authorizer, APIGW.model, APIGW.requestValidator]);

/** The definition the deployment snapshots, read from a plan's records. */
function definitionOf(records: readonly ResourceRecord[]): DefinitionEntry[] {
    return records
        .filter(r => DEFINITION_TYPES.has(r.type) && r.urn.includes(`$${FRONT_DOOR_COMPONENT}$`))
        .map(r => ({ type: r.type, name: r.name, inputs: r.inputs }));
}

function deployment(records: readonly ResourceRecord[]): ResourceRecord {
    const found = records.filter(r => r.type === APIGW.deployment);
    assert.strictEqual(found.length, 1);
    return found[0];
}

function trigger(records: readonly ResourceRecord[]): unknown {
    return (deployment(records).inputs.triggers as Record<string, unknown>).redeployment;
}

function stageAfter(prev: PreviewResult, next: PreviewResult) {
    return stageAfterUpdate(prev.resources, next.resources, engineSteps(prev.resources, next.resources));
}

describe("front door across updates: the stage serves what the catalog declares", function () {
    this.timeout(600_000);
    let base: PreviewResult;
    before(async () => {
        base = await planned(everyRuntimeCatalog());
    });

    it("takes a removed route and a removed method off the stage in the same update (F3)", async () => {
        // web serves GET and POST /app, and GET /ping: keep only GET /app.
        const next = await planned(withService(everyRuntimeCatalog(), "web", s => ({ ...s, expose: { ...s.expose!, routes: [{ path: "/app", methods: ["GET"] }] } })));
        const stage = stageAfter(base, next);
        assert.ok(stage.redeployed, "the update must create a new deployment");
        assert.deepStrictEqual(stage.served.filter(r => r.startsWith("POST /app") || r.includes("/ping")), [], `the stage still serves: ${stage.served.join(", ")}`);
        assert.ok(stage.served.includes("GET /app") && stage.served.includes("GET /app/{proxy+}"));
        assert.ok(stage.served.includes("GET /search"), "other routes stay");
    });

    it("an unchanged catalog changes nothing on the stage", async () => {
        const again = await planned(everyRuntimeCatalog());
        const steps = engineSteps(base.resources, again.resources);
        assert.deepStrictEqual(steps.filter(s => s.op !== "same").map(s => `${s.op} ${s.urn}`), []);
    });

    it("the redeployment trigger is the digest of every resource a deployment snapshots, with its inputs (F4)", () => {
        const entries = definitionOf(base.resources);
        assert.ok(entries.some(e => e.type === APIGW.model) && entries.some(e => e.type === APIGW.authorizer));
        assert.strictEqual(trigger(base.resources), definitionDigest(entries));
        // An ALB or VPC link replacement changes the integrations' integrationTarget and connectionId in place.
        const moved = entries.map(e => (e.type === APIGW.integration && e.inputs.connectionType === "VPC_LINK"
            ? { ...e, inputs: { ...e.inputs, integrationTarget: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/new/0123456789abcdef" } } : e));
        assert.notStrictEqual(definitionDigest(moved), definitionDigest(entries));
    });

    it("redeploys when a request schema's contents change, its file name staying (F4)", async () => {
        const file = path.join(ROOT, "schemas", "notify-request.json");
        // The module object itself (an `import *` namespace reads through to it).
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the mutable CommonJS module object, to stub readFileSync
        const nodeFs = require("fs") as { readFileSync: typeof fs.readFileSync };
        const original = nodeFs.readFileSync;
        const edited = JSON.stringify({ ...JSON.parse(original(file, "utf8")), description: "a new revision" });
        nodeFs.readFileSync = ((p: fs.PathOrFileDescriptor, o?: unknown) =>
            (typeof p === "string" && path.resolve(p) === file ? edited : (original as (p: fs.PathOrFileDescriptor, o?: unknown) => unknown)(p, o))) as typeof fs.readFileSync;
        let next: PreviewResult;
        try {
            // Not through the helper's cache: the same catalog, another file content.
            next = await runPreview({ projectDir: ROOT, stack: "dev", mode: "up", stackConfig: everyRuntimeCatalog() });
            assert.deepStrictEqual(next.errors ?? [], []);
        } finally {
            nodeFs.readFileSync = original;
        }
        assert.notStrictEqual(trigger(next.resources), trigger(base.resources));
        assert.ok(stageAfter(base, next).redeployed);
    });

    it("redeploys when an authorizer's settings change (F4)", async () => {
        const next = await planned(withFrontDoor(everyRuntimeCatalog(), fd => ({ ...fd, cognito: { userPoolArn: String((fd.cognito as { userPoolArn: string }).userPoolArn).replace("Abc123XyZ", "Def456UvW") } })));
        assert.notStrictEqual(trigger(next.resources), trigger(base.resources));
        assert.ok(stageAfter(base, next).redeployed);
    });

    it("serves a direct lambda route once the pending image arrives (F4)", async () => {
        const image = (s: Service, tag: string): Service => {
            const { function: _code, ...rest } = s as Service & { function?: unknown };
            return { ...rest, image: tag };
        };
        const pending = await planned(withService(everyRuntimeCatalog(), "thumbs", s => image(s, "pending")));
        const arrived = await planned(withService(everyRuntimeCatalog(), "thumbs", s => image(s, "1.0.0")));
        assert.ok(!stageAfter(pending, pending).served.includes("GET /thumbs"));
        const stage = stageAfter(pending, arrived);
        assert.ok(stage.redeployed);
        assert.ok(stage.served.includes("GET /thumbs"), stage.served.join(", "));
    });
});
