/**
 * Where the environment plan runs its shard jobs: this thread, plus worker
 * threads when there is more than one core (./env-worker.js). A worker loads
 * the SDK, the AWS packages, the project's modules and its policy pack once,
 * like this thread, and plans one shard at a time; jobs and results are plain
 * data (./env-run.ts). Shards of one pass whose inputs are known run side by
 * side; the plan (./env.ts) decides which.
 */
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { fromTransfer, runShard, ShardHooks, ShardJob, ShardRunResult } from "./env-run";

export interface ShardRunner {
    /** How many jobs can run at once. */
    readonly lanes: number;
    run(job: ShardJob): Promise<ShardRunResult>;
    /** Stops the workers (and gives back the working directory). */
    close(): Promise<void>;
}

/**
 * Lanes by default: one per core the process may use, less one, which the
 * garbage collector's helper threads already keep busy (on a 2-core machine
 * two lanes took 44% more CPU and 10-30% more wall time than one:
 * docs/performance.md). PREVIEW_WORKERS chooses (1: no worker).
 */
export function defaultLanes(): number {
    const asked = Number(process.env.PREVIEW_WORKERS);
    if (Number.isInteger(asked) && asked >= 1) return asked;
    const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
    return Math.max(1, cores - 1);
}

interface Pending {
    job: ShardJob;
    resolve(r: ShardRunResult): void;
    reject(e: Error): void;
}

class Lane {
    busy = false;
    private worker?: Worker;
    private current?: Pending;
    private seq = 0;
    dead?: Error;

    constructor(private readonly hooks: ShardHooks | undefined, projectDir: string) {
        if (hooks) return; // this thread
        this.worker = new Worker(path.join(__dirname, "env-worker.js"), { workerData: { projectDir } });
        this.worker.on("message", (m: { id: number; result?: ShardRunResult; error?: { name?: string; message: string; stack?: string } }) => {
            const p = this.current;
            if (!p || m.id !== this.seq) return;
            this.current = undefined;
            if (m.error) {
                const e = new Error(m.error.message);
                if (m.error.name) e.name = m.error.name;
                if (m.error.stack) e.stack = m.error.stack;
                p.reject(e);
            } else p.resolve(fromTransfer(m.result) as ShardRunResult);
        });
        const fail = (e: Error) => {
            this.dead = e;
            this.current?.reject(e);
            this.current = undefined;
        };
        this.worker.on("error", fail);
        this.worker.on("exit", code => {
            if (code !== 0 && !this.dead) fail(new Error(`an environment plan worker exited with code ${code}`));
        });
    }

    run(p: Pending): void {
        if (this.dead) {
            p.reject(this.dead);
            return;
        }
        if (this.hooks) {
            runShard(p.job, this.hooks).then(p.resolve, p.reject);
            return;
        }
        this.current = p;
        this.worker!.postMessage({ id: ++this.seq, job: p.job });
    }

    async close(): Promise<void> {
        if (this.worker) {
            this.dead ??= new Error("the pool is closed");
            await this.worker.terminate();
        }
    }
}

/**
 * A pool of `lanes` lanes: this thread (with `hooks`) and `lanes - 1`
 * workers, each loading the project's own hooks (./env-run.ts
 * loadProjectHooks), so with more than one lane `hooks` must be those.
 */
export function createShardPool(options: { projectDir: string; lanes: number; hooks: ShardHooks }): ShardRunner {
    const projectDir = path.resolve(options.projectDir);
    const lanes = Math.max(1, Math.floor(options.lanes));
    // Workers share the process's working directory and cannot change it; the
    // program runs from its project directory (as runPreview arranges in this thread).
    const previousCwd = process.cwd();
    if (lanes > 1 && previousCwd !== projectDir) process.chdir(projectDir);
    const all: Lane[] = [new Lane(options.hooks, projectDir)];
    for (let i = 1; i < lanes; i++) all.push(new Lane(undefined, projectDir));
    const queue: Pending[] = [];

    const pump = () => {
        for (const lane of all) {
            if (queue.length === 0) return;
            if (lane.busy) continue;
            const p = queue.shift()!;
            lane.busy = true;
            const done = () => {
                lane.busy = false;
                pump();
            };
            lane.run({
                job: p.job,
                resolve: r => {
                    done();
                    p.resolve(r);
                },
                reject: e => {
                    done();
                    p.reject(e);
                },
            });
        }
    };

    return {
        lanes,
        run(job) {
            return new Promise<ShardRunResult>((resolve, reject) => {
                queue.push({ job, resolve, reject });
                pump();
            });
        },
        async close() {
            await Promise.all(all.map(l => l.close()));
            if (process.cwd() !== previousCwd) process.chdir(previousCwd);
        },
    };
}
