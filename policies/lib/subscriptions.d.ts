/** Types of subscriptions.js (plain CommonJS: the subscription handler runs it as it is). */

export declare const SUBSCRIPTION_HANDLER: "subscription-handler";
export declare const SUBSCRIPTION_HANDLER_COMPONENT: "privatelink:saas:SubscriptionHandler";
export declare const HANDLER_ENDPOINTS: { readonly interface: readonly string[]; readonly gateway: readonly string[] };
export declare function hasSubscribers(service: unknown): boolean;
export type UnknownSubscribers = "reject" | "hold";
export declare const UNKNOWN_SUBSCRIBERS: readonly UnknownSubscribers[];
export declare const PLAN_DATE_ENV: string;

/** One subscriber of a service: who may connect (an account, or a principal in one), and who to call. */
export interface ServiceSubscriber {
    name: string;
    account?: string;
    principal?: string;
    contact?: string;
    /** The last day (YYYY-MM-DD, UTC) the subscriber is admitted. */
    expires?: string;
}

export interface DecisionTable {
    service: string;
    unknownSubscribers: UnknownSubscribers;
    subscribers: ServiceSubscriber[];
}

/** A connection to an endpoint service as DescribeVpcEndpointConnections shows it. */
export interface Connection {
    /** VpcEndpointOwner: the account that created the endpoint. */
    owner: string;
    /** VpcEndpointState: pendingAcceptance, available, rejected, deleted, failed, ... */
    state: string;
    endpointId?: string;
}

export type Action = "accept" | "reject" | "hold" | "none";

export interface Decision {
    action: Action;
    subscriber?: string;
    reason: string;
}

export declare function planDate(env?: Record<string, string | undefined>): Date;
export declare function lapsesAt(expires: unknown): Date | undefined;
export declare function isExpired(subscriber: { expires?: string }, now: Date): boolean;
export declare function accountOf(subscriber: { account?: string; principal?: string }): string | undefined;
export declare function partitionOf(region: string | undefined): string;
export declare function principalOf(subscriber: { account?: string; principal?: string }, partition?: string): string | undefined;
export declare function subscribersOf(service: unknown): ServiceSubscriber[];
export declare function subscriberPrincipals(service: unknown, now: Date, partition?: string): string[];
export declare function unknownSubscribersOf(service: unknown): UnknownSubscribers;
export declare function decisionTable(service: { name: string; subscribers?: unknown; unknownSubscribers?: unknown }): DecisionTable;
export declare function decide(table: DecisionTable, connection: Connection, now: Date, stackAccounts?: string[]): Decision;
