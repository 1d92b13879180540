import { FakeCloud } from "../../../tools/preview/cloud";

export const urn = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;

/** Registers one resource with the cloud, as the monitor does. */
export function create(cloud: FakeCloud, type: string, name: string, inputs: Record<string, unknown> = {}, remote = false) {
    return cloud.resource({ type, name, urn: urn(type, name), inputs, custom: !remote, remote });
}

/** Calls one data source. */
export function call(cloud: FakeCloud, token: string, inputs: Record<string, unknown> = {}) {
    return cloud.call({ token, inputs } as never);
}
