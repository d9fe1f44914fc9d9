package dev.gatekey.identity.query;

/** One Query API action: reads the request's parameters, acts, and says what to write in its result. */
@FunctionalInterface
public interface QueryAction {

    /**
     * @return what goes inside {@code <ActionResult>}; {@link QueryResult#NONE} for actions
     *         whose response has only {@code ResponseMetadata}
     * @throws dev.gatekey.platform.error.GatekeyException with AWS's error code
     */
    QueryResult handle(QueryRequest request);
}
