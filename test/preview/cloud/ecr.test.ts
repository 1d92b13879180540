import { strict as assert } from "assert";
import { ACCOUNT_ID, FakeCloud } from "../../../tools/preview/cloud";
import { World } from "../../../tools/preview/world";
import { call, create } from "./helpers";

const HERE = { account: ACCOUNT_ID, region: "eu-central-1" };

describe("fake cloud: ECR (tools/preview/cloud/ecr.ts), answered from the world", () => {
    it("getImage fails with the provider's one text for a missing repository and for a missing tag", () => {
        const world = World.fresh();
        world.createRepository(HERE, "dev/web");
        world.pushImage({ ...HERE, repository: "dev/web", tag: "1.0.0" });
        const cloud = new FakeCloud({ region: "eu-central-1", world });
        const notFound = /^Error: reading ECR Images: couldn't find resource$/;
        assert.throws(() => call(cloud, "aws:ecr/getImage:getImage", { repositoryName: "dev/orders", imageTag: "1.0.0" }), notFound);
        assert.throws(() => call(cloud, "aws:ecr/getImage:getImage", { repositoryName: "dev/web", imageTag: "2.0.0" }), notFound);
        // No name convention: a tag is there only because it was pushed.
        assert.throws(() => call(cloud, "aws:ecr/getImage:getImage", { repositoryName: "dev/web", imageTag: "unpushed-1.0" }), notFound);
    });

    it("getImage answers a pushed tag with its digest as id and the digest-pinned URI", () => {
        const world = World.fresh();
        world.createRepository(HERE, "dev/web");
        const digest = world.pushImage({ ...HERE, repository: "dev/web", tag: "1.0.0" });
        const image = call(new FakeCloud({ region: "eu-central-1", world }), "aws:ecr/getImage:getImage", { repositoryName: "dev/web", imageTag: "1.0.0" });
        assert.equal(image.id, digest);
        assert.match(digest, /^sha256:[0-9a-f]{64}$/);
        assert.equal(image.imageUri, `${ACCOUNT_ID}.dkr.ecr.eu-central-1.amazonaws.com/dev/web@${digest}`);
        assert.deepEqual(image.imageTags, ["1.0.0"]);
    });

    it("a push moves the tag to the new image", () => {
        const world = World.fresh();
        world.createRepository(HERE, "dev/web");
        const first = world.pushImage({ ...HERE, repository: "dev/web", tag: "latest" });
        const second = world.pushImage({ ...HERE, repository: "dev/web", tag: "latest" });
        assert.notEqual(first, second);
        assert.equal(world.findImage(HERE, "dev/web", "latest")?.digest, second);
    });

    it("a push to a repository that does not exist fails as docker push does", () => {
        assert.throws(() => World.fresh().pushImage({ ...HERE, repository: "dev/web", tag: "1" }), /name unknown: The repository with name 'dev\/web' does not exist in the registry with id '730841926357'/);
    });

    it("getRepositories lists the account's repositories, sorted, with the Region as id, and never fails", () => {
        const world = World.fresh();
        world.createRepository(HERE, "dev/web");
        world.createRepository(HERE, "dev/api");
        world.createRepository({ account: "902117463385", region: "eu-central-1" }, "other/x");
        assert.deepEqual(call(new FakeCloud({ region: "eu-central-1", world }), "aws:ecr/getRepositories:getRepositories"), { id: "eu-central-1", region: "eu-central-1", names: ["dev/api", "dev/web"] });
        assert.deepEqual(call(new FakeCloud({ region: "eu-central-1" }), "aws:ecr/getRepositories:getRepositories").names, []);
    });

    it("a repository exists once an up creates it, not after a preview", () => {
        const preview = new FakeCloud({ region: "eu-central-1" });
        create(preview, "aws:ecr/repository:Repository", "r", { name: "dev/web" });
        assert.deepEqual(call(preview, "aws:ecr/getRepositories:getRepositories").names, []);
        const up = new FakeCloud({ region: "eu-central-1", applies: true });
        const repo = create(up, "aws:ecr/repository:Repository", "r", { name: "dev/web" });
        assert.equal(repo.computed.repositoryUrl, `${ACCOUNT_ID}.dkr.ecr.eu-central-1.amazonaws.com/dev/web`);
        assert.deepEqual(call(up, "aws:ecr/getRepositories:getRepositories").names, ["dev/web"]);
        assert.equal(up.world.at(HERE).repositories.get("dev/web")?.createdBy, "urn:pulumi:dev::p::aws:ecr/repository:Repository::r");
    });
});
