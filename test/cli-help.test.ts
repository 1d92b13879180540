import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { main as envMain } from "../tools/env/cli";
import { main as matrixMain } from "../tools/env/matrix";
import { main as shardsMain } from "../tools/shards/generate";
import { ROOT } from "./helpers";

/**
 * Every command of the README answers `--help` with its usage and exit code
 * 0, before it does anything (`npm run shards -- --help` writes no file,
 * `npm run bench -- --help` runs no benchmark), and refuses an unknown
 * argument with exit code 2 (the plan's own table is test/preview/exit-codes.test.ts).
 */
describe("--help and unknown arguments of npm run env, matrix, shards and bench", function () {
    this.timeout(120_000);

    function held(): { io: { out(t: string): void; err(t: string): void }; out: string[]; err: string[] } {
        const out: string[] = [];
        const err: string[] = [];
        return { io: { out: t => out.push(t), err: t => err.push(t) }, out, err };
    }

    it("npm run env -- --help (alone or after a command) prints the usage and every command, exit 0", async () => {
        for (const argv of [["--help"], ["up", "--env", "dev", "-h"]]) {
            const lines: string[] = [];
            assert.strictEqual(await envMain(argv, { projectDir: ROOT, log: l => lines.push(l) }), 0);
            assert.match(lines.join("\n"), /^usage: npm run env -- init\|preview\|up --env <env>/);
            assert.match(lines.join("\n"), /--dry-run/);
        }
    });

    it("npm run env refuses an unknown argument, exit 2", async () => {
        const lines: string[] = [];
        assert.strictEqual(await envMain(["up", "--env", "dev", "--paralel", "2"], { projectDir: ROOT, log: l => lines.push(l) }), 2);
        assert.match(lines.join("\n"), /unknown argument "--paralel"/);
    });

    it("npm run matrix -- --help prints the usage, exit 0; an unknown argument exits 2", () => {
        const h = held();
        assert.strictEqual(matrixMain(["--help"], ROOT, h.io), 0);
        assert.match(h.out.join(""), /^usage: npm run matrix -- --base <git-ref>/);
        const u = held();
        assert.strictEqual(matrixMain(["--bse", "main"], ROOT, u.io), 2);
        assert.match(u.err.join(""), /unknown argument "--bse"/);
    });

    it("npm run shards -- --help prints the usage and writes nothing, exit 0; an unknown argument exits 2 before writing", () => {
        // A directory that does not exist: any attempt to read or write stack files would throw.
        const nowhere = path.join(ROOT, "does-not-exist");
        const h = held();
        assert.strictEqual(shardsMain(["--help"], nowhere, h.io), 0);
        assert.match(h.out.join(""), /^usage: npm run shards -- \[--env <env>\] \[--check\]/);
        const u = held();
        assert.strictEqual(shardsMain(["--chek"], nowhere, u.io), 2);
        assert.match(u.err.join(""), /unknown argument "--chek"/);
    });

    it("npm run bench -- --help prints its usage and runs no benchmark, exit 0", () => {
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "tools/bench/run.ts"), "--help"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /npm run bench -- --peer/);
        assert.doesNotMatch(r.stdout, /\| services \|/, "no table: nothing was measured");
    });
});
