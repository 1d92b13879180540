import { strict as assert } from "assert";
import * as path from "path";
import { listStacks, readProject, readStackConfig, secretPlaceholder, StackNotFoundError, toProgramConfig } from "../../tools/preview/config";
import { APP } from "./helpers";

describe("preview: stack configuration as the CLI passes it", () => {
    it("qualifies keys without a namespace with the project name and keeps others", () => {
        const { config } = toProgramConfig("proj", { services: "[]", "aws:region": "eu-west-1", "other:key": "v" });
        assert.deepEqual(Object.keys(config).sort(), ["aws:region", "other:key", "proj:services"]);
    });

    it("JSON-encodes lists and objects (keys sorted, as Go marshals maps) and stringifies scalars", () => {
        const { config } = toProgramConfig("proj", {
            services: [{ port: 80, name: "a" }],
            platform: { zeta: 1, alpha: { b: true, a: null } },
            replicas: 3,
            debug: false,
        });
        assert.equal(config["proj:services"], '[{"name":"a","port":80}]');
        assert.equal(config["proj:platform"], '{"alpha":{"a":null,"b":true},"zeta":1}');
        assert.equal(config["proj:replicas"], "3");
        assert.equal(config["proj:debug"], "false");
    });

    it("replaces secure values (also nested ones) by a placeholder and marks the key secret", () => {
        const { config, secretKeys } = toProgramConfig("proj", {
            password: { secure: "v1:abc" },
            nested: { user: "u", token: { secure: "v1:def" } },
            plain: "x",
        });
        assert.equal(config["proj:password"], secretPlaceholder("proj:password"));
        assert.deepEqual(JSON.parse(config["proj:nested"]), { token: secretPlaceholder("proj:nested"), user: "u" });
        assert.deepEqual(secretKeys.sort(), ["proj:nested", "proj:password"]);
        assert.ok(!JSON.stringify(config).includes("v1:"), "ciphertext must not reach the program");
    });

    it("applies project defaults from Pulumi.yaml under the stack's values", () => {
        const project = readProject(APP);
        assert.equal(project.name, "fixture-app");
        assert.equal(project.stackConfigDir, path.join(APP, "stacks"));
        const { config } = toProgramConfig(project.name, { "fixture-app:owner": "me" }, project.defaults);
        assert.equal(config["fixture-app:owner"], "me");
        assert.equal(toProgramConfig(project.name, {}, project.defaults).config["fixture-app:owner"], "platform-team");
    });

    it("names the file it looked for and the stacks that exist when a stack is unknown", () => {
        const project = readProject(APP);
        assert.deepEqual(listStacks(project), ["other", "test"]);
        assert.throws(
            () => readStackConfig(project, "prod"),
            (err: unknown) =>
                err instanceof StackNotFoundError &&
                err.message.includes(path.join(APP, "stacks", "Pulumi.prod.yaml")) &&
                err.message.includes("other, test"),
        );
    });
});
