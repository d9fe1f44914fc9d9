package dev.gatekey.identity.query;

import java.util.Map;

/**
 * The extension point of the Query API: a group of actions of one API. Every CDI bean
 * implementing it (e.g. {@code @ApplicationScoped class MfaDeviceActions implements
 * QueryActions}) is discovered by {@link QueryActionRegistry}, which refuses to start when two
 * beans register the same action. Adding actions means adding a class; nothing central changes.
 */
public interface QueryActions {

    /** The API these actions belong to. */
    QueryApi api();

    /** Action name (AWS's, e.g. {@code CreateUser}) to its handler. */
    Map<String, QueryAction> actions();
}
