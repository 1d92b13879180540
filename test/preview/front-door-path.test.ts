import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { ResourceRecord } from "../../tools/preview";
import { FrontDoorPath, renderFrontDoor, traceFrontDoor } from "../../tools/preview/front-door-path";
import { plan, ROOT, stackConfig, withCognitoPool } from "../helpers";

/** The last hop each runtime's path ends on, past its endpoint service. */
const LAST_HOP: Record<string, RegExp> = {
    fargate: /^ECS service /,
    "ecs-ec2": /^ECS service /,
    lambda: /^Lambda function /,
    eks: /^EKS node group /,
};

describe("offline preview: the front door's paths, as the policy pack traces them", function () {
    this.timeout(300_000);

    for (const mode of ["up", "preview"] as const) {
        it(`dev (${mode}): every method reaches its route's service, walked to the workload`, async () => {
            const config = withCognitoPool(stackConfig("dev"));
            const result = await plan(config, mode, "dev");
            const paths = traceFrontDoor(result.resources, mode);
            const services = config["privatelink-platform:services"] as { name: string; runtime: string; expose?: { routes: { path: string; methods: string[] }[] } }[];
            const exposed = services.filter(s => s.expose);
            assert.ok(exposed.length >= 3, "dev exposes at least three services");
            for (const s of exposed) {
                for (const route of s.expose!.routes) {
                    for (const verb of route.methods) {
                        const p = paths.find(x => x.route === `${verb} ${route.path}`);
                        assert.ok(p, `${verb} ${route.path} has a method`);
                        assert.ok(p.complete, `${verb} ${route.path} stops: ${p.stoppedAt}`);
                        assert.deepStrictEqual(p.services, [s.name]);
                        assert.strictEqual(p.tailStoppedAt, undefined);
                        assert.deepStrictEqual(p.hops.slice(0, 2).map(h => h.what), ["stage", "method"]);
                        const last = p.hops[p.hops.length - 1];
                        assert.match(`${last.what} ${last.name}`, LAST_HOP[s.runtime], `${verb} ${route.path} ends on ${s.name}'s workload`);
                        assert.ok(last.name.startsWith(s.name), `${verb} ${route.path} ends in ${s.name}, not ${last.urn}`);
                        // In preview the integration's URI carries the ALB's DNS name: the path the ALB sees is known at up.
                        assert.strictEqual(p.undecided !== undefined, mode === "preview");
                    }
                }
            }
            const text = renderFrontDoor(paths).join("\n");
            assert.match(text, /^Front door \(\d+ methods, \d+ reach a service\):/);
            assert.doesNotMatch(text, /❌/);
        });
    }

    it("dev (up): the route docs/front-door.md shows is the line the plan prints", async () => {
        const result = await plan(stackConfig("dev"), "up", "dev");
        const lines = renderFrontDoor(traceFrontDoor(result.resources, "up"));
        const doc = fs.readFileSync(path.join(ROOT, "docs", "front-door.md"), "utf8");
        const shown = /\n(\s+✓ \/search[^\n]*)\n([^\n]*)\n/.exec(doc);
        assert.ok(shown, "docs/front-door.md shows the /search route of the dev plan");
        const at = lines.indexOf(shown[1]);
        assert.ok(at > 0, `the plan prints ${JSON.stringify(shown[1])}; it printed:\n${lines.join("\n")}`);
        assert.strictEqual(lines[at + 1], shown[2]);
    });

    it("a path whose edge listener rules are gone stops at the edge listener, naming why", async () => {
        const result = await plan(stackConfig("dev"), "up", "dev");
        const records: ResourceRecord[] = result.resources.filter(r => r.type !== "aws:lb/listenerRule:ListenerRule");
        const paths = traceFrontDoor(records, "up").filter(p => p.hops.some(h => h.what === "VPC link"));
        assert.ok(paths.length > 0);
        for (const p of paths) {
            assert.equal(p.complete, false);
            assert.deepStrictEqual(p.services, []);
            assert.strictEqual(p.hops[p.hops.length - 1].what, "listener");
            assert.match(p.stoppedAt ?? "", /no listener rule matches \/\S+ or \/v1\/\S+, and the default action forwards to no target group/);
        }
    });

    it("a plan without a front door has no section", async () => {
        const config = stackConfig("dev");
        const services = (config["privatelink-platform:services"] as Record<string, unknown>[]).map(({ expose: _e, ...s }) => s);
        const { frontDoor: _f, ...platform } = config["privatelink-platform:platform"] as Record<string, unknown>;
        const result = await plan({ ...config, "privatelink-platform:platform": platform, "privatelink-platform:services": services }, "up", "dev");
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        assert.ok(result.resources.some(r => r.type === "aws:ecs/service:Service"));
        assert.deepEqual(traceFrontDoor(result.resources, "up"), []);
    });
});

describe("the plan's front-door section (renderFrontDoor)", () => {
    const hop = (what: string, name: string) => ({ what, name, urn: `urn:${name}` });
    const head = [hop("stage", "st"), hop("method", "m"), hop("integration (HTTP_PROXY)", "i"), hop("VPC link", "link"), hop("edge ALB", "alb")];

    it("prints nothing without methods", () => {
        assert.deepStrictEqual(renderFrontDoor([]), []);
    });

    it("one entry per route taking one way, its verbs, auth, services, and why a path stops", () => {
        const paths: FrontDoorPath[] = [
            { route: "GET /shop", authorization: "AWS_IAM", hops: [...head, hop("target group", "tg"), hop("ECS service", "web-service")], services: ["web"], complete: true },
            { route: "POST /shop/{proxy+}", authorization: "AWS_IAM", hops: [...head, hop("target group", "tg"), hop("ECS service", "web-service")], services: ["web"], complete: true },
            { route: "GET /admin", authorization: "NONE", hops: [...head, hop("listener", "http")], services: [], complete: false, stoppedAt: "no listener rule matches /admin" },
            {
                route: "GET /orders",
                authorization: "COGNITO_USER_POOLS",
                authorizer: "front-door-cognito",
                hops: [...head, hop("endpoint service", "orders-es")],
                services: ["orders"],
                complete: true,
                tailStoppedAt: "orders-nlb has no listener",
                undecided: "the integration URI is known after up",
            },
        ];
        assert.deepStrictEqual(renderFrontDoor(paths, "https://x.example/v1"), [
            "Front door (4 methods, 3 reach a service; https://x.example/v1):",
            "    ❌ /admin  GET  auth NONE",
            "        client → stage st → method → integration (HTTP_PROXY) → VPC link link → edge ALB alb → listener http",
            "        stops: no listener rule matches /admin",
            "    ✓ /orders  GET  auth COGNITO_USER_POOLS (front-door-cognito)  → orders",
            "        client → stage st → method → integration (HTTP_PROXY) → VPC link link → edge ALB alb → endpoint service orders-es",
            "        behind the endpoint service: orders-nlb has no listener",
            "        in this mode: the integration URI is known after up",
            "    ✓ /shop (and below)  GET POST  auth AWS_IAM  → web",
            "        client → stage st → method → integration (HTTP_PROXY) → VPC link link → edge ALB alb → target group tg → ECS service web-service",
            "",
        ]);
    });

    it("keeps apart methods of one prefix that take different ways", () => {
        const paths: FrontDoorPath[] = [
            { route: "GET /shop", authorization: "NONE", hops: [...head, hop("ECS service", "web-service")], services: ["web"], complete: true },
            { route: "DELETE /shop", authorization: "NONE", hops: [...head, hop("ECS service", "orders-service")], services: ["orders"], complete: true },
        ];
        const lines = renderFrontDoor(paths);
        assert.strictEqual(lines.filter(l => l.startsWith("    ✓ /shop")).length, 2);
        assert.ok(lines.includes("    ✓ /shop  DELETE  auth NONE  → orders"));
        assert.ok(lines.includes("    ✓ /shop  GET  auth NONE  → web"));
    });
});
