import * as assert from "assert";
import { engineSteps } from "../../tools/preview/engine-steps";
import type { ResourceRecord } from "../../tools/preview";

const URN = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;

/** A custom resource record: the fields the engine's step order reads. */
function rec(type: string, name: string, inputs: Record<string, unknown>, deps: Record<string, string[]> = {}, options: Partial<ResourceRecord["options"]> = {}): ResourceRecord {
    return {
        urn: URN(type, name), type, name, parent: null, custom: true, remote: false, op: "create", id: name, inputs, outputs: {},
        dependencies: [...new Set(Object.values(deps).flat())], propertyDependencies: deps,
        options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, aliases: [], ignoreChanges: [], provider: null, replaceOnChanges: [], additionalSecretOutputs: [], deletedWith: null, import: null, ...options },
    };
}

const API = "aws:apigateway/restApi:RestApi";
const METHOD = "aws:apigateway/method:Method";
const DEPLOYMENT = "aws:apigateway/deployment:Deployment";
const DOC = "aws:apigateway/documentationPart:DocumentationPart";

describe("engine step order (pulumi/pulumi v3.248.0 pkg/resource/deploy)", () => {
    const api = rec(API, "api", { name: "a" });
    const get = rec(METHOD, "get", { restApi: "api", httpMethod: "GET" }, { restApi: [api.urn] });
    const del = rec(METHOD, "del", { restApi: "api", httpMethod: "DELETE" }, { restApi: [api.urn] });
    const dep = (trigger: string) => rec(DEPLOYMENT, "deployment", { restApi: "api", triggers: { redeployment: trigger } }, { restApi: [api.urn] });

    it("creates, updates and leaves resources in registration order; a removed resource is deleted after the program finished", () => {
        const steps = engineSteps([api, get, del, dep("a")], [api, rec(METHOD, "get", { restApi: "api", httpMethod: "GET", apiKeyRequired: true }, { restApi: [api.urn] }), dep("a"), rec(METHOD, "new", { restApi: "api", httpMethod: "PUT" })]);
        assert.deepStrictEqual(steps.map(s => `${s.op} ${s.urn.split("::").pop()}`), ["same api", "update get", "same deployment", "create new", "delete del"]);
    });

    it("replaces create-before-delete: the new deployment exists before the removed method is deleted (pulumi/pulumi-aws#3289)", () => {
        const steps = engineSteps([api, get, del, dep("a")], [api, get, dep("b")]);
        const order = steps.map(s => `${s.op} ${s.urn.split("::").pop()}`);
        assert.deepStrictEqual(order.slice(0, 3), ["same api", "same get", "create-replacement deployment"]);
        assert.deepStrictEqual(order.slice(3).sort(), ["delete del", "delete-replaced deployment"]);
    });

    it("deletes in reverse dependency order: dependents before what they depend on", () => {
        const steps = engineSteps([api, get, del], []);
        const order = steps.map(s => s.urn.split("::").pop());
        assert.strictEqual(order[order.length - 1], "api");
        assert.deepStrictEqual(order.slice(0, 2).sort(), ["del", "get"]);
    });

    it("replaces delete-before-create with the resources replaced with it, removed ones included, at its registration", () => {
        const gen = (t: string) => rec(DOC, "definition", { restApiId: "api" }, { restApiId: [api.urn] }, { deleteBeforeReplace: true, replacementTrigger: t });
        const g1 = gen("1");
        const withGen = (r: ResourceRecord) => ({ ...r, options: { ...r.options, replaceWith: [g1.urn] } });
        const steps = engineSteps([api, g1, withGen(get), withGen(del), dep("a")], [api, gen("2"), withGen(get), dep("b")]);
        const order = steps.map(s => `${s.op} ${s.urn.split("::").pop()}`);
        assert.ok(order.indexOf("delete-before-replace del") < order.indexOf("create-replacement definition"), order.join(", "));
        assert.ok(order.indexOf("delete-before-replace get") < order.indexOf("create-replacement get"), order.join(", "));
        assert.ok(order.indexOf("delete-before-replace del") < order.indexOf("create-replacement deployment"), order.join(", "));
        assert.ok(!order.includes("delete del"), "deleted once, in the chain");
    });
});
