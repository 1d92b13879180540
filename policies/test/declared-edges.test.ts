import * as assert from "assert";
import { declaredEdges, edgeName } from "../lib/declared-edges";

describe("declaredEdges: a catalog's edges, the front door's included", () => {
    const services = [
        { name: "web", consumes: ["orders", "search"], expose: { routes: [{ path: "/shop" }] } },
        { name: "orders", consumes: ["payments"] },
        { name: "payments" },
        { name: "search", expose: { integration: "vpc-link" } },
        { name: "notifier", expose: { integration: "lambda" } },
    ];

    it("every consumes entry, and the front door's edge VPC to each exposed service it reaches through the VPC link, sorted", () => {
        assert.deepStrictEqual(declaredEdges(services, { frontDoor: { stageName: "v1" } }).map((e) => `${e.via}: ${edgeName(e)}`), [
            "front door: front-door->search",
            "front door: front-door->web",
            "consumes: orders->payments",
            "consumes: web->orders",
            "consumes: web->search",
        ]);
    });

    it("no front door without platform.frontDoor (the program creates none)", () => {
        assert.deepStrictEqual(declaredEdges(services, {}).map(edgeName), ["orders->payments", "web->orders", "web->search"]);
        assert.deepStrictEqual(declaredEdges(services, undefined).map(edgeName), ["orders->payments", "web->orders", "web->search"]);
    });

    it("skips what is not a service entry (the catalog's validation reports it)", () => {
        assert.deepStrictEqual(declaredEdges([null, "web", { consumes: ["x"] }, { name: "a", consumes: ["b", 3] }], { frontDoor: {} }).map(edgeName), ["a->b"]);
        assert.deepStrictEqual(declaredEdges(undefined, undefined), []);
    });
});
